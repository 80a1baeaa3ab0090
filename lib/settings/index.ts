import { z } from "zod";
import { audit, type Actor } from "@/lib/audit/log";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { coverKeys } from "@/lib/exceptions/apply";
import { reevaluateFindings } from "@/lib/verdict/reevaluate";
import { DEFAULT_MAX_ROTATION_DAYS, maxRotationDaysSchema } from "@/lib/verdict/rules";

const flag = z.union([
  z.boolean(),
  z.enum(["true", "false", "on", "off"]).transform((v) => v === "true" || v === "on"),
]);

// Console settings, stored as one row per key in `settings`. Each has a zod schema and a default;
// a stored value that no longer parses falls back to the default (and the settings page says so).
export const SETTINGS = {
  "policy.maxRotationDays": maxRotationDaysSchema.default(DEFAULT_MAX_ROTATION_DAYS),
  "scan.intervalHours": z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 7)
    .default(6),
  "scan.concurrencyPerRegion": z.coerce.number().int().min(1).max(64).default(8),
  "scan.concurrencyTotal": z.coerce.number().int().min(1).max(512).default(64),
  // Days to fix an open finding, per severity (its due date); the SQL function insight_sla_days
  // (migration 20261203100000) reads these, with the same defaults.
  "sla.criticalDays": z.coerce.number().int().min(1).max(3650).default(30),
  "sla.warningDays": z.coerce.number().int().min(1).max(3650).default(90),
  // An analyst's exception takes effect only once an admin other than its author approves it.
  "exceptions.requireApproval": flag.default(true),
  // A fix plan is approved by an admin other than the person who planned it.
  "fixes.requireSecondPerson": flag.default(true),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export const SETTING_KEYS = Object.keys(SETTINGS);

export async function getSettings(db: PrismaClient | Prisma.TransactionClient): Promise<Settings> {
  return settingsFrom(await db.setting.findMany({ where: { key: { in: SETTING_KEYS } } }));
}

/** The settings from their stored rows: a key with no row, or whose value no longer parses, takes its default. */
export function settingsFrom(rows: { key: string; value: unknown }[]): Settings {
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(SETTINGS)) {
    const parsed = schema.safeParse(stored.get(key) ?? undefined);
    out[key] = parsed.success ? parsed.data : schema.parse(undefined);
  }
  return out as Settings;
}

export async function setSetting<K extends SettingKey>(
  db: PrismaClient | Prisma.TransactionClient,
  key: K,
  value: SettingValue<K>,
  updatedBy?: string,
): Promise<void> {
  const parsed = SETTINGS[key].parse(value);
  await db.setting.upsert({
    where: { key },
    create: { key, value: parsed as Prisma.InputJsonValue, updatedBy },
    update: { value: parsed as Prisma.InputJsonValue, updatedBy },
  });
}

export interface SettingsChange {
  changed: SettingKey[];
  /** Findings whose verdict changed with the maximum rotation period (0 when it did not change). */
  reevaluated: number;
}

/**
 * Saves the settings that differ from the stored ones, re-evaluates the findings when the policy
 * changed, and audits what changed, all in one transaction: the findings never disagree with the
 * stored policy, and nothing is stored without its audit entry.
 */
export async function saveSettings(
  db: PrismaClient,
  next: Partial<Settings>,
  actor: Actor,
): Promise<SettingsChange> {
  // Re-evaluating every finding of a large estate takes longer than an ordinary transaction may.
  return db.$transaction(
    async (tx) => {
      const now = new Date();
      // One save at a time: the "from" of the audit entry is what this save replaced.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kms-insights settings'))`;
      const before = await getSettings(tx);
      const changed = (Object.keys(next) as SettingKey[]).filter((k) => next[k] !== before[k]);
      if (!changed.length) return { changed, reevaluated: 0 };
      for (const key of changed) await setSetting(tx, key, next[key] as never, actor.actorEmail);
      const reevaluated = changed.includes("policy.maxRotationDays")
        ? await reevaluateFindings(tx, next["policy.maxRotationDays"]!, now, (ids) => coverKeys(tx, ids, now))
        : 0;
      // The due dates follow the SLAs (insight_sla_days reads the rows just written).
      if (changed.includes("sla.criticalDays") || changed.includes("sla.warningDays"))
        await tx.$executeRaw`UPDATE kms_keys SET due_at = failing_since + insight_sla_days(severity) * interval '1 day'
          WHERE status IN ('OPEN', 'EXCEPTED') AND due_at IS DISTINCT FROM failing_since + insight_sla_days(severity) * interval '1 day'`;
      await audit(tx, {
        ...actor,
        action: "settings.update",
        details: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: next[k] }])),
      });
      return { changed, reevaluated };
    },
    { maxWait: 10_000, timeout: 10 * 60_000 },
  );
}
