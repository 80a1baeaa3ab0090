import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/shell/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { fetchComplianceShares } from "@/lib/verdict/compliance-shares";
import { fetchComplianceStatus } from "@/lib/verdict/compliance-status";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { SEVERITY_LABELS } from "@/lib/verdict/types";
import { AccountSharesTable } from "./_components/account-shares-table";
import { ExceptedFindingsTable } from "./_components/excepted-findings-table";
import { FrameworksTable } from "./_components/frameworks-table";

export const metadata: Metadata = { title: "Compliance" };

const COMPLIANCE_CSV_HREF = "/compliance/export.csv";
const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

export default async function CompliancePage() {
  const user = await requirePageUser();
  const [{ frameworks, counts, evaluatedKeys, excepted, exceptedFindings }, shares] = await Promise.all([
    fetchComplianceStatus(prisma, user.accountScope),
    fetchComplianceShares(prisma, user.accountScope),
  ]);
  const failing = counts.CRITICAL + counts.WARNING;
  const legacy = frameworks.filter((f) => f.source === "legacy");
  const current = frameworks.filter((f) => f.source !== "legacy");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Compliance"
        description={
          <>
            Each framework below maps the KMS key rotation check. A control passes when none of the keys
            {user.accountScope ? " in your accounts" : ""} is Critical or Warning; the keys it does not judge
            (Not applicable: pending deletion, unusable, or of a kind KMS cannot rotate) are outside the
            shares.
          </>
        }
      >
        <p>
          {evaluatedKeys === 0 ? (
            "No keys have been evaluated yet: run a scan to judge these controls."
          ) : failing === 0 ? (
            `All ${evaluatedKeys} evaluated keys pass.`
          ) : (
            <>
              <Link href={insightTableHref({ severities: ["CRITICAL", "WARNING"] })} className={linkClass}>
                {failing} of {evaluatedKeys} keys fail
              </Link>{" "}
              ({counts.CRITICAL} {SEVERITY_LABELS.CRITICAL.toLowerCase()}, {counts.WARNING}{" "}
              {SEVERITY_LABELS.WARNING.toLowerCase()}).
            </>
          )}
        </p>
      </PageHeader>
      {frameworks.length === 0 && (
        <p className="text-sm text-muted-foreground">No compliance mapping is loaded.</p>
      )}
      {legacy.length > 0 && (
        <FrameworksTable
          caption="As listed in the source material"
          frameworks={legacy}
          evaluated={evaluatedKeys > 0}
          share={shares.total}
        />
      )}
      {current.length > 0 && (
        <FrameworksTable
          caption="Current framework versions"
          frameworks={current}
          evaluated={evaluatedKeys > 0}
          share={shares.total}
        />
      )}
      {frameworks.length > 0 && (
        <section aria-labelledby="by-account-heading" className="flex flex-col gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="by-account-heading" className="text-base font-semibold">
              Keys passing by account
            </h2>
            <a href={COMPLIANCE_CSV_HREF} download className={linkClass}>
              Download CSV (every account and framework)
            </a>
          </div>
          <AccountSharesTable accounts={shares.byAccount} />
        </section>
      )}
      {evaluatedKeys > 0 && <ExceptedFindingsTable excepted={excepted} findings={exceptedFindings} />}
    </div>
  );
}
