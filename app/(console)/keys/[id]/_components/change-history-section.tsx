import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { KeyChangeHistory } from "@/lib/cloudtrail/history";
import { keyChangeInWords } from "@/lib/cloudtrail/key-changes";
import { ChangeHistory, type ChangeRow } from "./change-history";
import { Section } from "./section";

/** "Who changed it": the key's changes from CloudTrail, as cached; loading them is the user's choice. */
export function ChangeHistorySection({
  keyId,
  history,
}: {
  keyId: string;
  history: KeyChangeHistory | null;
}) {
  const rows: ChangeRow[] = (history?.events ?? []).map((e) => ({
    id: e.eventId,
    time: formatUtcMinute(e.eventTime),
    iso: e.eventTime.toISOString(),
    what: keyChangeInWords(e),
    who: e.principalArn ?? "unknown",
    from: e.sourceAddress ?? "",
    region: e.region,
  }));
  return (
    <Section id="changes-heading" title="Who changed it">
      <ChangeHistory
        keyId={keyId}
        rows={rows}
        fetchedAt={history?.fetchedAt ? formatUtcMinute(history.fetchedAt) : null}
        storedError={history?.error?.message ?? null}
      />
    </Section>
  );
}
