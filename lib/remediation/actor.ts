import type { Actor } from "@/lib/audit/log";
import type { AccountScope } from "@/lib/auth/account-scope";
import type { Role } from "@/lib/generated/prisma/enums";

/** Who plans, approves, runs or cancels a fix: an audit actor with its role and account scope. */
export interface FixActor extends Actor {
  role: Role;
  scope: AccountScope;
}

/** The command line acts as an operator: an admin of every account, "cli" in the audit log. */
export const CLI_ACTOR: FixActor = { actorEmail: "cli", role: "ADMIN", scope: null };

/**
 * A refusal a person can act on, shown as is by the console and the CLI; `field` names the form
 * field it is about, when it is about one.
 */
export class FixError extends Error {
  constructor(
    message: string,
    readonly field?: "selection" | "period" | "count",
  ) {
    super(message);
  }
}

export const REFUSED = {
  plan: "Only analysts and admins can plan fixes.",
  admin: "Only admins can approve, run or cancel fixes.",
} as const;

export function requirePlanner(actor: FixActor): void {
  if (actor.role !== "ADMIN" && actor.role !== "ANALYST") throw new FixError(REFUSED.plan);
}

export function requireFixAdmin(actor: FixActor): void {
  if (actor.role !== "ADMIN") throw new FixError(REFUSED.admin);
}

/** A plan not approved within this many days expires. */
export const PLAN_LIFETIME_DAYS = 7;
