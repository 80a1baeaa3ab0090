import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { mayPropose } from "@/lib/exceptions/controls";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { fetchKeyDetail } from "@/lib/insight-table/key-detail";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { AliasesAndTags } from "./_components/aliases-and-tags";
import { FindingHistoryTable } from "./_components/finding-history-table";
import { FindingSection } from "./_components/finding-section";
import { FindingTimeline } from "./_components/finding-timeline";
import { MetadataSection } from "./_components/metadata-section";
import { MultiRegionSection } from "./_components/multi-region-section";
import { RotationSection } from "./_components/rotation-section";
import { TriageSection } from "./_components/triage-section";

type Props = { params: Promise<{ id: string }> };

// generateMetadata and the page ask for the same key: one query per request.
const keyDetailFor = cache(async (id: string) => {
  const user = await requireUser();
  return fetchKeyDetail(prisma, id, user.accountScope);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const detail = await keyDetailFor((await params).id);
  return { title: detail ? `Key ${detail.key.keyId}` : "Key not found" };
}

export default async function KeyPage({ params }: Props) {
  const detail = await keyDetailFor((await params).id);
  if (!detail) notFound();
  const k = detail.key;
  const user = await requireUser();
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <PageHeader
        back={{ href: insightTableHref(), label: "Back to the key rotation table" }}
        title={`Key ${k.keyId}`}
        description={
          <>
            {k.aliases.length ? `${k.aliases.join(", ")} · ` : ""}
            {detail.accountName} ({k.accountId}) · {k.region}
          </>
        }
        actions={
          k.status === "OPEN" && mayPropose(user.role) ? (
            <Button asChild variant="outline">
              <Link href={`/exceptions/new?key=${encodeURIComponent(k.arn)}`}>Except this key</Link>
            </Button>
          ) : undefined
        }
      />
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
      <TriageSection detail={detail} />
      <FindingTimeline timeline={detail.triage.timeline} />
      <MetadataSection detail={detail} />
      <MultiRegionSection detail={detail} />
      <AliasesAndTags keyRow={k} />
      <FindingHistoryTable history={detail.history} />
    </div>
  );
}
