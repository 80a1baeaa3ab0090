import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { DEFAULT_MAX_ROTATION_DAYS, maxRotationDaysSchema } from "@/lib/verdict/rules";

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
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;
export type Settings = { [K in SettingKey]: SettingValue<K> };

export async function getSettings(db: PrismaClient): Promise<Settings> {
  const rows = await db.setting.findMany({ where: { key: { in: Object.keys(SETTINGS) } } });
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
