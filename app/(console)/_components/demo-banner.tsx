import { prisma } from "@/lib/db";

export async function DemoBanner() {
  const demo = await prisma.awsAccount.count({ where: { isDemo: true } });
  if (!demo) return null;
  return (
    <div role="status" className="border-b border-amber-200 bg-amber-50 px-6 py-2 text-sm text-amber-900">
      <strong>Demo data.</strong> These accounts and keys come from the built-in KMS sandbox, not from AWS.
      Add your own AWS account on the Accounts page; the demo accounts can then be removed.
    </div>
  );
}
