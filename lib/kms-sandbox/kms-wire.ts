// Estate objects → awsJson1_1 shapes: dates as epoch seconds (JSON numbers), undefined left out.
import type { KeyRotationEntry, SandboxAlias, SandboxKey } from "./estate-types";

export type Json = Record<string, unknown>;

export const epochSeconds = (date: Date) => date.getTime() / 1000;

function withoutUndefined(object: Json): Json {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

export function wireKeyMetadata(key: SandboxKey): Json {
  const m = key.metadata;
  return withoutUndefined({
    ...m,
    CreationDate: epochSeconds(m.CreationDate),
    DeletionDate: m.DeletionDate ? epochSeconds(m.DeletionDate) : undefined,
    MultiRegionConfiguration: m.MultiRegionConfiguration
      ? structuredClone(m.MultiRegionConfiguration)
      : undefined,
  });
}

export function wireAlias(alias: SandboxAlias): Json {
  return withoutUndefined({
    AliasName: alias.AliasName,
    AliasArn: alias.AliasArn,
    TargetKeyId: alias.TargetKeyId,
    CreationDate: alias.CreationDate ? epochSeconds(alias.CreationDate) : undefined,
    LastUpdatedDate: alias.LastUpdatedDate ? epochSeconds(alias.LastUpdatedDate) : undefined,
  });
}

export function wireRotation(keyId: string, entry: KeyRotationEntry): Json {
  return withoutUndefined({
    KeyId: keyId,
    KeyMaterialId: entry.KeyMaterialId,
    ImportState: entry.ImportState,
    KeyMaterialState: entry.KeyMaterialState,
    RotationDate: epochSeconds(entry.RotationDate),
    RotationType: entry.RotationType,
  });
}
