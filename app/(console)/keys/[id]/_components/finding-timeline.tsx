import Link from "next/link";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { KEY_EVENTS_LIMIT, type TimelineEntry } from "@/lib/triage/key-timeline";
import { resolvedReasonLabel } from "@/lib/triage/status";
import { reasonLabel, SEVERITY_LABELS } from "@/lib/verdict/types";
import { Section } from "./section";

const linkClass = "text-primary underline-offset-4 hover:underline";

const FINDING_CHANGES: Record<Extract<TimelineEntry, { type: "finding" }>["kind"], string> = {
  NEW: "New: started failing",
  RESOLVED: "Resolved",
  REOPENED: "Reopened: failing again",
  EXCEPTED: "Excepted",
  EXCEPTION_ENDED: "Exception ended",
};

function change(e: TimelineEntry): string {
  if (e.type === "exception") return `Exception ${e.action}`;
  if (e.kind === "RESOLVED") return `Resolved: ${resolvedReasonLabel(e.reason)}`;
  if (e.kind === "EXCEPTION_ENDED")
    return `Exception ended: ${e.reason === "EXPIRED" ? "expired" : "revoked"}`;
  return FINDING_CHANGES[e.kind];
}

function detail(e: TimelineEntry): string {
  if (e.type === "exception") {
    const x = e.exception;
    return `${EXCEPTION_KIND_LABELS[x.kind]} v${x.version}: ${x.justification} (owner ${x.owner}; expires ${formatUtcMinute(x.expiresAt)}${e.by ? `; by ${e.by}` : ""}; ${x.id})`;
  }
  const parts = [SEVERITY_LABELS[e.severity]];
  if (e.kind !== "RESOLVED" && e.kind !== "EXCEPTION_ENDED" && e.reason) parts.push(reasonLabel(e.reason));
  if (e.exceptionId) parts.push(`exception ${e.exceptionId}`);
  return parts.join(" · ");
}

/** Each change of the finding with its scan, and each exception that covered or names the key. */
export function FindingTimeline({ timeline }: { timeline: TimelineEntry[] }) {
  return (
    <Section id="timeline-heading" title="Timeline">
      {timeline.length === 0 ? (
        <p className="text-sm text-muted-foreground">This key has never failed and no exception names it.</p>
      ) : (
        <Table
          bare
          caption={`Changes of the finding and its exceptions, newest first (at most the last ${KEY_EVENTS_LIMIT} changes of the finding).`}
          captionLook="note"
          columns={["When", "Change", "Scan", "Details"]}
          data-testid="finding-timeline"
        >
          {timeline.map((e) => (
            <TableRow key={`${e.type}/${e.id}`}>
              <TableRowHead>{formatUtcMinute(e.at)}</TableRowHead>
              <TableCell>{change(e)}</TableCell>
              <TableCell>
                {e.type === "finding" && e.scan ? (
                  <Link href={`/scans#scan-${e.scan.id}`} className={linkClass}>
                    scan of {formatUtcMinute(e.scan.startedAt)}
                  </Link>
                ) : (
                  ""
                )}
              </TableCell>
              <TableCell className="max-w-md break-words text-muted-foreground">
                {e.type === "exception" ? (
                  <Link href="/exceptions" className={linkClass}>
                    {detail(e)}
                  </Link>
                ) : (
                  detail(e)
                )}
              </TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </Section>
  );
}
