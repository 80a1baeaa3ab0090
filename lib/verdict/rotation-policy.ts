import { z } from "zod";

export const DEFAULT_MAX_ROTATION_DAYS = 365;
/** The range EnableKeyRotation accepts for RotationPeriodInDays. */
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;

const rangeMessage = `The maximum rotation period must be a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}.`;

/** Accepts a number or a numeric string (form field, env variable). */
export const maxRotationDaysSchema = z.coerce
  .number({ error: rangeMessage })
  .int({ error: rangeMessage })
  .min(MIN_ROTATION_DAYS, { error: rangeMessage })
  .max(MAX_ROTATION_DAYS, { error: rangeMessage });

export const rotationPolicySchema = z.object({
  maxRotationDays: maxRotationDaysSchema.default(DEFAULT_MAX_ROTATION_DAYS),
});
