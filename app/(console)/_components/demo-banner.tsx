import Link from "next/link";
import { prisma } from "@/lib/db";
import type { RoleName } from "@/lib/users/schema";

/** Says the data is the sandbox's; only an admin, who can add an account, is asked to add one. */
export async function DemoBanner({ role }: { role: RoleName }) {
  const demo = await prisma.awsAccount.count({ where: { isDemo: true } });
  if (!demo) return null;
  return (
    <div
      role="status"
      data-testid="demo-banner"
      className="border-b border-warning/40 bg-warning/10 px-4 py-2 text-sm text-foreground lg:px-6"
    >
      <strong>Demo data</strong>
      <span className="hidden sm:inline">
        : these accounts and keys come from the built-in KMS sandbox, not from AWS.
      </span>
      <span className="sm:hidden"> from the built-in KMS sandbox.</span>{" "}
      {role === "admin" && (
        <>
          <Link href="/accounts" className="font-medium text-primary underline underline-offset-2">
            Add your own AWS account
          </Link>
          <span className="hidden sm:inline">; the demo accounts can then be removed.</span>
        </>
      )}
    </div>
  );
}
