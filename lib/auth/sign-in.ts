import type { Role } from "@/lib/generated/prisma/enums";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { credentialsSchema } from "./credentials";
import { dummyPasswordHash, verifyPassword } from "./password";
import { openSession, pruneSessions } from "./sessions";
import { recordSignIn } from "./sign-in-events";
import {
  addressKey,
  emailKey,
  isLocked,
  MAX_ATTEMPTS_PER_ADDRESS,
  MAX_ATTEMPTS_PER_EMAIL,
  pruneThrottles,
  releaseAttempt,
  reserveAttempt,
  type Reservation,
} from "./throttle";

interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  epoch: number;
  /** The server-side session (lib/auth/sessions.ts) this sign-in opened. */
  sid: string;
}

type SignInResult = { ok: true; user: SignedInUser } | { ok: false; throttled: boolean };

interface SignInOptions {
  /** The password check; tests pass a counting one. */
  verify?: (hash: string, password: string) => Promise<boolean>;
}

/**
 * Checks email and password sent from `ip`. Order matters: a locked email or address is refused
 * before anything is written; then the attempt reserves its place on the address and the email;
 * only then is the password checked. The audit log gets one row per checked attempt (no more than
 * the limits allow) and none for refused ones, so failures cannot flood it.
 */
export async function signInWithPassword(
  db: PrismaClient,
  raw: unknown,
  ip: string,
  opts: SignInOptions = {},
): Promise<SignInResult> {
  const verify = opts.verify ?? verifyPassword;
  const parsed = credentialsSchema.safeParse(raw);
  const sentEmail = (raw as { email?: unknown } | undefined)?.email;
  const claimed = parsed.success
    ? parsed.data.email
    : typeof sentEmail === "string"
      ? sentEmail.slice(0, 254)
      : "";
  const keys = parsed.success ? [addressKey(ip), emailKey(parsed.data.email)] : [addressKey(ip)];
  if (await isLocked(db, keys)) return { ok: false, throttled: true };

  const byAddress = await reserveAttempt(db, addressKey(ip), MAX_ATTEMPTS_PER_ADDRESS);
  if (!byAddress.allowed) return { ok: false, throttled: true };
  const fail = async (reason: string, byEmail?: Reservation) => {
    const locked = byAddress.locks ? "address" : byEmail?.locks ? "email" : undefined;
    await recordSignIn(db, { email: claimed, ip, ok: false, reason, locked });
    if (locked) await pruneThrottles(db);
    return { ok: false, throttled: false } as const;
  };
  if (!parsed.success) return fail("malformed credentials");

  const { email, password } = parsed.data;
  const byEmail = await reserveAttempt(db, emailKey(email), MAX_ATTEMPTS_PER_EMAIL);
  if (!byEmail.allowed) return { ok: false, throttled: true };
  const user = await db.user.findUnique({ where: { email } });
  // Checked for unknown and disabled users too: response time does not tell them apart.
  const passwordOk = await verify(user?.passwordHash ?? (await dummyPasswordHash()), password);
  if (!user) return fail("unknown user", byEmail);
  if (user.disabled) return fail("disabled", byEmail);
  if (!passwordOk) return fail("wrong password", byEmail);

  // The attempt's place is given back, the session opened and the sign-in audited together.
  const sid = await db.$transaction(async (tx) => {
    await releaseAttempt(tx, email, ip);
    const id = await openSession(tx, user.id);
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordSignIn(tx, { email, ip, ok: true, userId: user.id });
    return id;
  });
  await Promise.all([pruneSessions(db), pruneThrottles(db)]);
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, epoch: user.sessionEpoch, sid },
  };
}
