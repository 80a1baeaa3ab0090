import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { clientAddressOf } from "@/lib/audit/client-address";
import { audit } from "@/lib/audit/log";
import { prisma } from "@/lib/db";
import { safeCallbackUrl } from "./messages";
import { revokeSession, SESSION_LIFETIME_MS } from "./sessions";
import { signInWithPassword } from "./sign-in";

/** Error codes the sign-in page turns into sentences (lib/auth/messages.ts). */
export const SIGN_IN_ERRORS = {
  invalid: "CredentialsSignin",
  throttled: "TooManyAttempts",
} as const;

export const authOptions: NextAuthOptions = {
  // The cookie lives no longer than the server-side session, which ends on sign-out or after
  // SESSION_LIFETIME_MS whatever the cookie says (lib/auth/session.ts).
  session: { strategy: "jwt", maxAge: SESSION_LIFETIME_MS / 1000 },
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
        const result = await signInWithPassword(prisma, raw, ip);
        if (result.ok) return result.user;
        if (result.throttled) throw new Error(SIGN_IN_ERRORS.throttled);
        return null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role;
        token.epoch = user.epoch;
        token.sid = user.sid;
      }
      return token;
    },
    async session({ session, token }) {
      session.user = { ...session.user, id: token.uid, role: token.role, epoch: token.epoch, sid: token.sid };
      return session;
    },
    // Only the console's own pages: a callback URL that resolves to another origin becomes "/".
    async redirect({ url, baseUrl }) {
      return new URL(safeCallbackUrl(url, baseUrl), baseUrl).href;
    },
  },
  events: {
    // A copied cookie stops working after sign-out: the session it names is revoked.
    async signOut({ token }) {
      const sid = typeof token?.sid === "string" ? token.sid : undefined;
      if (!sid) return;
      await prisma.$transaction(async (tx) => {
        const revoked = await revokeSession(tx, sid);
        if (revoked)
          await audit(tx, {
            actorId: revoked.userId,
            actorEmail: revoked.user.email,
            action: "auth.sign_out",
          });
      });
    },
  },
};
