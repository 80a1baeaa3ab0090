import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { clientAddressOf } from "@/lib/audit/client-address";
import { prisma } from "@/lib/db";
import { burnPasswordCheck, verifyPassword } from "./password";
import { recordSignIn } from "./sign-in-events";
import { checkThrottle, clearThrottle, noteFailure } from "./throttle";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(256),
});

/** Error codes the sign-in page turns into sentences (lib/auth/messages.ts). */
export const SIGN_IN_ERRORS = {
  invalid: "CredentialsSignin",
  throttled: "TooManyAttempts",
} as const;

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, req) {
        const sent = req?.headers as Record<string, unknown> | undefined;
        const ip = clientAddressOf((name) => sent?.[name]) ?? "unknown";
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) {
          const email = typeof raw?.email === "string" ? raw.email.slice(0, 254) : "";
          await recordSignIn(prisma, { email, ip, ok: false, reason: "malformed credentials" });
          return null;
        }
        const { email, password } = parsed.data;
        if (!(await checkThrottle(prisma, email, ip))) {
          await recordSignIn(prisma, { email, ip, ok: false, reason: "throttled" });
          throw new Error(SIGN_IN_ERRORS.throttled);
        }
        const user = await prisma.user.findUnique({ where: { email } });
        const ok = user && !user.disabled && (await verifyPassword(user.passwordHash, password));
        if (!user) await burnPasswordCheck(password);
        if (!ok) {
          // The failure counts and its audit entry commit together.
          await prisma.$transaction(async (tx) => {
            await noteFailure(tx, email, ip);
            await recordSignIn(tx, {
              email,
              ip,
              ok: false,
              reason: !user ? "unknown user" : user.disabled ? "disabled" : "wrong password",
            });
          });
          return null;
        }
        await prisma.$transaction(async (tx) => {
          await clearThrottle(tx, email);
          await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
          await recordSignIn(tx, { email, ip, ok: true, userId: user.id });
        });
        return { id: user.id, email: user.email, name: user.name, role: user.role, epoch: user.sessionEpoch };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.epoch = user.epoch;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.uid, role: token.role, epoch: token.epoch };
      return session;
    },
  },
};
