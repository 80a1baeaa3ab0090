import { createHash, randomBytes } from "node:crypto";
import type { SandboxRole } from "./estate-types";

// Static keys look like real ones (20 chars, AKIA prefix) and carry the account id, so the sandbox
// knows the account of a request without any stored state: AKIA + SBX0 + <12-digit account id>.
const STATIC_KEY_PATTERN = /^AKIASBX0(\d{12})$/;
// Temporary keys: ASIA + 4 base-36 session digits + <12-digit account id>.
const TEMPORARY_KEY_PATTERN = /^ASIA[0-9A-Z]{4}(\d{12})$/;

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export function sandboxCredentialsFor(accountId: string): StaticCredentials {
  if (!/^\d{12}$/.test(accountId))
    throw new RangeError(`not a 12-digit account id: ${JSON.stringify(accountId)}`);
  const secretAccessKey = createHash("sha256")
    .update(`kms-sandbox/${accountId}`)
    .digest("base64")
    .slice(0, 40);
  return { accessKeyId: `AKIASBX0${accountId}`, secretAccessKey };
}

export const accountOfStaticKey = (accessKeyId: string) => STATIC_KEY_PATTERN.exec(accessKeyId)?.[1];
export const accountOfTemporaryKey = (accessKeyId: string) => TEMPORARY_KEY_PATTERN.exec(accessKeyId)?.[1];

export const staticUserArn = (accountId: string) => `arn:aws:iam::${accountId}:user/kms-sandbox`;
export const staticUserId = (accountId: string) => `AIDASBX0${accountId}`;
export const roleId = (accountId: string) => `AROASBX0${accountId}`;

export interface TemporarySession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  accountId: string;
  role: SandboxRole;
  sessionName: string;
  assumedRoleArn: string;
  assumedRoleId: string;
}

/** Sessions handed out by AssumeRole, by access key id. They live as long as the server. */
export class SessionStore {
  private readonly sessions = new Map<string, TemporarySession>();
  private counter = 0;

  issue(
    accountId: string,
    role: SandboxRole,
    sessionName: string,
    durationSeconds: number,
    now = new Date(),
  ): TemporarySession {
    this.counter = (this.counter + 1) % 36 ** 4;
    const accessKeyId = `ASIA${this.counter.toString(36).toUpperCase().padStart(4, "0")}${accountId}`;
    const session: TemporarySession = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(180).toString("base64")}`,
      expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000),
      accountId,
      role,
      sessionName,
      assumedRoleArn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
      assumedRoleId: `${roleId(accountId)}:${sessionName}`,
    };
    this.sessions.set(accessKeyId, session);
    return session;
  }

  get(accessKeyId: string): TemporarySession | undefined {
    return this.sessions.get(accessKeyId);
  }
}

/** Who is calling: a static account user or an assumed-role session. */
export type Caller =
  | { kind: "user"; accountId: string; arn: string; userId: string }
  | { kind: "assumed-role"; accountId: string; arn: string; userId: string; session: TemporarySession };

export type CallerProblem = "unknown-key" | "bad-token" | "expired";

export function identifyCaller(
  accessKeyId: string,
  sessionToken: string | undefined,
  isKnownAccount: (accountId: string) => boolean,
  sessions: SessionStore,
  now = new Date(),
): Caller | CallerProblem {
  const staticAccount = accountOfStaticKey(accessKeyId);
  if (staticAccount !== undefined) {
    if (!isKnownAccount(staticAccount)) return "unknown-key";
    return {
      kind: "user",
      accountId: staticAccount,
      arn: staticUserArn(staticAccount),
      userId: staticUserId(staticAccount),
    };
  }
  const session = sessions.get(accessKeyId);
  if (!session) return "unknown-key";
  if (sessionToken !== session.sessionToken) return "bad-token";
  if (session.expiration <= now) return "expired";
  return {
    kind: "assumed-role",
    accountId: session.accountId,
    arn: session.assumedRoleArn,
    userId: session.assumedRoleId,
    session,
  };
}
