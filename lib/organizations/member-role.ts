import type { Organization } from "@/lib/generated/prisma/client";

// The role an organization's sync gives each member account, and which accounts it manages.

function partitionOf(org: Pick<Organization, "roleArn">): string {
  return /^arn:(aws[\w-]*):/.exec(org.roleArn ?? "")?.[1] ?? "aws";
}

export const memberRoleArn = (org: Pick<Organization, "roleArn" | "memberRoleName">, id: string) =>
  `arn:${partitionOf(org)}:iam::${id}:role/${org.memberRoleName}`;

/**
 * Whether the organization manages the account (a sync added it, or it uses the member role): its
 * name follows the organization's, and it is marked LEFT when no longer listed. An account added
 * by hand with its own access only gains the OU path and status, and goes back to being an
 * account added by hand when it leaves.
 */
export function managedBy(
  org: Pick<Organization, "roleArn" | "memberRoleName" | "isDemo">,
  a: { id: string; accessMethod: string; roleArn: string | null; isDemo: boolean },
) {
  return org.isDemo ? a.isDemo : a.accessMethod === "ROLE" && a.roleArn === memberRoleArn(org, a.id);
}
