import { Prisma } from "@/lib/generated/prisma/client";
import { roleOf } from "./roles";

// PostgreSQL's error codes as they reach us: through Prisma's driver adapter (a known request
// error whose meta names the driver's error) or straight from pg.

/** The SQLSTATE of a PostgreSQL error (e.g. "57014", a statement timeout), if it is one. */
export function postgresCode(error: unknown): string | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const code = driverCause(error)?.originalCode;
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

/** What Prisma's pg adapter says of the driver's error: its SQLSTATE, or its kind for a connection's. */
function driverCause(error: InstanceType<typeof Prisma.PrismaClientKnownRequestError>) {
  const meta = error.meta as
    { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } | undefined;
  return meta?.driverAdapterError?.cause;
}

/**
 * A value PostgreSQL cannot store or compare as text: a NUL character ("\0"), or bytes that are not
 * UTF-8. Only input brings these; the answer to it is a refusal that says so, not a failure.
 */
export const isUnstorableText = (error: unknown) => postgresCode(error) === "22021";

export const UNSTORABLE_TEXT_MESSAGE =
  "Nothing was changed: a value has a character that cannot be stored (a NUL character, \\0). Remove it and try again.";

const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: "nothing accepts connections there",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (yet)",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host cannot be reached",
  "28P01": "the password was refused",
  "28000": "the server does not let this role connect (pg_hba.conf, or no such role)",
  "3D000": "the database does not exist",
  // The same, as Prisma's pg adapter names them (it does not tell a refusal from an unknown host).
  DatabaseNotReachable: "nothing accepts connections there, or the host name does not resolve",
  AuthenticationFailed: "the password was refused",
  DatabaseAccessDenied: "the server does not let this role connect (pg_hba.conf, or no such role)",
  DatabaseDoesNotExist: "the database does not exist",
  SocketTimeout: "the connection timed out",
  TlsConnectionError: "the TLS connection failed",
};

/**
 * What went wrong connecting to a PostgreSQL given by URL (`name` says which variable), as a
 * sentence without the URL's password; undefined when the error is not a failure to connect.
 */
export function connectionFailure(error: unknown, url: string, name: string): string | undefined {
  const kind = error instanceof Prisma.PrismaClientKnownRequestError ? driverCause(error)?.kind : undefined;
  const code =
    postgresCode(error) ??
    (typeof kind === "string" ? kind : error instanceof Error && "code" in error ? String(error.code) : "");
  const reason = Object.hasOwn(CONNECTION_REASONS, code) ? CONNECTION_REASONS[code] : undefined;
  if (!reason) return undefined;
  let where = "it";
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || "5432"}${u.pathname} as ${roleOf(url) || "the default role"}`;
  } catch {
    // An unreadable URL is refused by the configuration's checks before this.
  }
  return `Could not connect to the PostgreSQL of ${name} (${where}): ${reason}. Check ${name}, or leave DATABASE_URL unset to use the embedded PostgreSQL.`;
}
