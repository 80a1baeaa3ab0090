import pg from "pg";
import { parseEnv } from "@/lib/config/env";
import { logger } from "@/lib/log";

// CSV downloads read through a pool of their own, so that however many are open, the pages, the
// sign-in and the scan worker keep their connections. Each download holds a slot from the request
// until its stream ends; past the per-user or the global cap a download is refused at once (429),
// never queued behind a slow one. Export connections carry their own time limits: a statement that
// runs away is cancelled, and a transaction left idle is ended by the server even if the process
// that opened it has hung. (An export reads through one COPY: a reader that stopped reading leaves
// the server waiting to send, not idle; the download's own watchdog, stallMs, ends it, and the
// COPY's statement limit, an hour, is the backstop for a process that hangs.)

export interface ExportLimits {
  /** Connections of the export pool, and so downloads open at once. */
  connections: number;
  /** Downloads one user may have open at once. */
  perUser: number;
  /** A download whose reader takes nothing for this long is ended (lib/csv/csv-stream.ts). */
  stallMs: number;
  /**
   * Any one statement of an export's connection; the export's COPY, one statement for all its rows,
   * raises its own to an hour (streamRawInsightBatches).
   */
  statementTimeoutMs: number;
  /** The server's own backstop behind stallMs, for a process that no longer ends its transaction. */
  idleInTransactionMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  connections: 4,
  perUser: 2,
  stallMs: 30_000,
  statementTimeoutMs: 120_000,
  idleInTransactionMs: 60_000,
};

export const EXPORT_APPLICATION_NAME = "kms-insights-export";

/** Why a download was refused, as a sentence, and when to try again. */
export class ExportsBusyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface ExportSlot {
  /** Gives the slot back; calling it again does nothing. */
  release(): void;
}

export interface ExportPool {
  readonly pool: pg.Pool;
  readonly limits: ExportLimits;
  /** A slot for one download of `user`, or ExportsBusyError. */
  admit(user: string): ExportSlot;
  /** Downloads open now (for tests and logs). */
  open(): number;
  end(): Promise<void>;
}

export function createExportPool(connectionString: string, limits: Partial<ExportLimits> = {}): ExportPool {
  const l = { ...DEFAULT_EXPORT_LIMITS, ...limits };
  const pool = new pg.Pool({
    connectionString,
    max: l.connections,
    // Connections are not kept once the downloads are over.
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 10_000,
    application_name: EXPORT_APPLICATION_NAME,
    statement_timeout: l.statementTimeoutMs,
    idle_in_transaction_session_timeout: l.idleInTransactionMs,
  });
  pool.on("error", (err) => logger.warn({ err: err.message }, "an idle export connection was closed"));
  const byUser = new Map<string, number>();
  let total = 0;
  return {
    pool,
    limits: l,
    admit(user) {
      const mine = byUser.get(user) ?? 0;
      if (mine >= l.perUser) {
        throw new ExportsBusyError(
          `You already have ${mine} CSV exports running, the most one person may have at once. ` +
            "Wait for one to finish (or cancel it), then try again.",
          30,
        );
      }
      if (total >= l.connections) {
        throw new ExportsBusyError(
          `The server is already sending ${total} CSV exports, the most it sends at once. Try again in a minute.`,
          60,
        );
      }
      byUser.set(user, mine + 1);
      total++;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          total--;
          const left = (byUser.get(user) ?? 1) - 1;
          if (left > 0) byUser.set(user, left);
          else byUser.delete(user);
        },
      };
    },
    open: () => total,
    end: () => pool.end(),
  };
}

const globalForExports = globalThis as unknown as { exportPool?: ExportPool };

/**
 * The web server's export pool, on DATABASE_URL, with INSIGHTS_EXPORT_CONNECTIONS and
 * INSIGHTS_EXPORTS_PER_USER; null when no database is configured.
 */
export function getExportPool(): ExportPool | null {
  if (!globalForExports.exportPool) {
    const env = parseEnv();
    if (!env.DATABASE_URL) return null;
    globalForExports.exportPool = createExportPool(env.DATABASE_URL, {
      connections: env.INSIGHTS_EXPORT_CONNECTIONS,
      perUser: env.INSIGHTS_EXPORTS_PER_USER,
    });
  }
  return globalForExports.exportPool;
}
