import type { Metadata } from "next";
import Link from "next/link";
import { ExternalLink as ExternalLinkIcon } from "lucide-react";
import { notFound } from "next/navigation";
import { cache } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ExternalLink } from "@/components/ui/external-link";
import { requirePageUser } from "@/lib/auth/session";
import { readKeyChangeHistory } from "@/lib/cloudtrail/history";
import { prisma } from "@/lib/db";
import { mayPropose } from "@/lib/exceptions/controls";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { fetchKeyDetail } from "@/lib/insight-table/key-detail";
import { staleMarkText } from "@/lib/insight-table/stale-marks";
import { backToTableHref } from "@/lib/insight-table/table-href";
import { hasRemediationAccess } from "@/lib/remediation/access";
import { judgeKey } from "@/lib/remediation/judge";
import { getSettings } from "@/lib/settings";
import { awsConsoleKeyUrl, remediationFor } from "@/lib/verdict/remediation";
import { AliasesAndTags } from "./_components/aliases-and-tags";
import { ChangeHistorySection } from "./_components/change-history-section";
import { FindingHistoryTable } from "./_components/finding-history-table";
import { FindingSection } from "./_components/finding-section";
import { FindingTimeline } from "./_components/finding-timeline";
import { MetadataSection } from "./_components/metadata-section";
import { MultiRegionSection } from "./_components/multi-region-section";
import { PlanFixButton } from "./_components/plan-fix-button";
import { RemediationSection } from "./_components/remediation-section";
import { RotationSection } from "./_components/rotation-section";
import { TriageSection } from "./_components/triage-section";

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// generateMetadata and the page ask for the same key: one query per request.
const keyDetailFor = cache(async (id: string) => {
  const user = await requirePageUser();
  return fetchKeyDetail(prisma, id, user.accountScope);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const detail = await keyDetailFor((await params).id);
  return { title: detail ? (detail.key.aliases[0] ?? `Key ${detail.key.keyId}`) : "Key not found" };
}

export default async function KeyPage({ params, searchParams }: Props) {
  const detail = await keyDetailFor((await params).id);
  if (!detail) notFound();
  const [user, settings, { from }, changes, account] = await Promise.all([
    requirePageUser(),
    getSettings(prisma),
    searchParams,
    readKeyChangeHistory(prisma, detail.key.arn),
    prisma.awsAccount.findUnique({
      where: { id: detail.key.accountId },
      select: { remediationMethod: true },
    }),
  ]);
  const k = detail.key;
  // A fix the console can plan and run: the key needs one and its account has remediation access.
  const fixable =
    mayPropose(user.role) &&
    judgeKey(k, {
      maxRotationDays: settings["policy.maxRotationDays"],
      periodDays: null,
      inScope: true,
      hasRemediationAccess: account !== null && hasRemediationAccess(account),
    }).action === "ENABLE_ROTATION";
  const alias = k.aliases[0];
  const consoleUrl = awsConsoleKeyUrl(k.region, k.keyId);
  const remediation = k.goneAt
    ? null
    : remediationFor({
        reason: k.reason,
        keyId: k.keyId,
        region: k.region,
        maxRotationDays: settings["policy.maxRotationDays"],
        primary: detail.primary,
      });
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <PageHeader
        back={{ href: backToTableHref(from), label: "Back to the table" }}
        title={alias ?? <span className="font-mono">{k.keyId}</span>}
        description={
          alias ? (
            <>
              <code className="text-xs" data-testid="key-id">
                {k.keyId}
              </code>
              <CopyButton value={k.keyId} label="Copy key id" />
            </>
          ) : undefined
        }
        actions={
          <div className="flex flex-wrap items-center justify-end gap-2">
            {!alias && <CopyButton value={k.keyId} label="Copy key id" showLabel />}
            <CopyButton value={k.arn} label="Copy ARN" showLabel />
            {consoleUrl && (
              <Button asChild variant="outline" size="sm">
                <ExternalLink href={consoleUrl}>
                  <ExternalLinkIcon className="h-3.5 w-3.5" aria-hidden />
                  Open in the AWS console
                </ExternalLink>
              </Button>
            )}
            {fixable && <PlanFixButton keyArn={k.arn} />}
            {k.status === "OPEN" && mayPropose(user.role) && (
              <Button asChild variant="outline" size="sm">
                <Link href={`/exceptions/new?key=${encodeURIComponent(k.arn)}`}>Except this key</Link>
              </Button>
            )}
          </div>
        }
      >
        <p className="text-muted-foreground">
          {detail.accountName} ({k.accountId}) · {k.region}
        </p>
      </PageHeader>
      {detail.stale && (
        <Alert tone="warning" data-testid="stale-alert">
          {sentence(staleMarkText(detail.stale))} What this page shows is what an earlier scan read.
        </Alert>
      )}
      {k.goneAt && (
        <Alert tone="warning">
          KMS no longer lists this key (since {formatUtcMinute(k.goneAt)}): it was deleted, or is no longer
          visible to the console. It is kept here for its history and is not counted anywhere.
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <FindingSection keyRow={k} />
        <RotationSection keyRow={k} />
      </div>
      {remediation && <RemediationSection remediation={remediation} />}
      <ChangeHistorySection keyId={k.id} history={changes} />
      <TriageSection detail={detail} />
      <FindingTimeline timeline={detail.triage.timeline} />
      <MetadataSection detail={detail} />
      <MultiRegionSection detail={detail} />
      <AliasesAndTags keyRow={k} />
      <FindingHistoryTable history={detail.history} cut={detail.historyCut} />
    </div>
  );
}
