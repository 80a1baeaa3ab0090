import { createHmac } from "node:crypto";
import { KmsError, serialization, validation } from "./kms-errors";

export interface LimitRule {
  min: number;
  max: number;
  /** Used when the request has no Limit. */
  fallback: number;
}

export const LIMITS = {
  ListKeys: { min: 1, max: 1000, fallback: 100 },
  ListAliases: { min: 1, max: 100, fallback: 50 },
  ListResourceTags: { min: 1, max: 50, fallback: 50 },
  ListKeyRotations: { min: 1, max: 1000, fallback: 100 },
} satisfies Record<string, LimitRule>;

export function readLimit(input: Record<string, unknown>, rule: LimitRule): number {
  const limit = input.Limit;
  if (limit === undefined || limit === null) return rule.fallback;
  if (typeof limit !== "number" || !Number.isInteger(limit)) throw serialization("Limit must be an integer");
  if (limit < rule.min) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`,
    );
  }
  if (limit > rule.max) {
    throw validation(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`,
    );
  }
  return limit;
}

/**
 * Markers are opaque to callers: base64url of "<scope>|<offset>|<mac>". The scope binds a marker
 * to one operation, account, region (and key), so a marker replayed elsewhere is rejected.
 */
export class MarkerCodec {
  constructor(private readonly secret: string) {}

  encode(scope: string, offset: number): string {
    const body = `${scope}|${offset}`;
    return Buffer.from(`${body}|${this.mac(body)}`).toString("base64url");
  }

  decode(scope: string, marker: unknown): number {
    if (typeof marker !== "string") throw serialization("Marker must be a string");
    if (marker.length < 1 || marker.length > 1024) {
      throw validation(
        "1 validation error detected: Value at 'marker' failed to satisfy constraint: Member must have length between 1 and 1024",
      );
    }
    const invalid = new KmsError(
      "InvalidMarkerException",
      "The marker that specifies where pagination should next begin is not valid.",
    );
    const text = Buffer.from(marker, "base64url").toString("utf8");
    const lastBar = text.lastIndexOf("|");
    const body = text.slice(0, lastBar);
    if (lastBar < 0 || this.mac(body) !== text.slice(lastBar + 1)) throw invalid;
    const offsetBar = body.lastIndexOf("|");
    if (body.slice(0, offsetBar) !== scope) throw invalid;
    const offset = Number(body.slice(offsetBar + 1));
    if (!Number.isInteger(offset) || offset < 1) throw invalid;
    return offset;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url").slice(0, 16);
  }
}

export interface Page<T> {
  items: T[];
  truncated: boolean;
  nextMarker?: string;
}

export function paginate<T>(
  items: readonly T[],
  input: Record<string, unknown>,
  rule: LimitRule,
  scope: string,
  markers: MarkerCodec,
): Page<T> {
  const limit = readLimit(input, rule);
  const start = input.Marker === undefined || input.Marker === null ? 0 : markers.decode(scope, input.Marker);
  if (start > items.length)
    throw new KmsError(
      "InvalidMarkerException",
      "The marker that specifies where pagination should next begin is not valid.",
    );
  const end = Math.min(items.length, start + limit);
  const truncated = end < items.length;
  return {
    items: items.slice(start, end),
    truncated,
    ...(truncated ? { nextMarker: markers.encode(scope, end) } : {}),
  };
}

/** The JSON members of a paged answer: NextMarker only while Truncated. */
export function pageFields(page: Page<unknown>): { Truncated: boolean; NextMarker?: string } {
  return page.truncated ? { Truncated: true, NextMarker: page.nextMarker } : { Truncated: false };
}
