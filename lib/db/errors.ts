import { Prisma } from "@/lib/generated/prisma/client";

// PostgreSQL's error codes as they reach us: through Prisma's driver adapter (a known request
// error whose meta names the driver's error) or straight from pg.

/** The SQLSTATE of a PostgreSQL error (e.g. "57014", a statement timeout), if it is one. */
export function postgresCode(error: unknown): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const meta = error.meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
    const code = meta?.driverAdapterError?.cause?.originalCode;
    return typeof code === "string" ? code : undefined;
  }
  if (
    error instanceof Error &&
    "code" in error &&
    typeof error.code === "string" &&
    /^[0-9A-Z]{5}$/.test(error.code)
  )
    return error.code;
  return undefined;
}

/**
 * A value PostgreSQL cannot store or compare as text: a NUL character ("\0"), or bytes that are not
 * UTF-8. Only input brings these; the answer to it is a refusal that says so, not a failure.
 */
export const isUnstorableText = (error: unknown) => postgresCode(error) === "22021";

export const UNSTORABLE_TEXT_MESSAGE =
  "Nothing was changed: a value has a character that cannot be stored (a NUL character, \\0). Remove it and try again.";
