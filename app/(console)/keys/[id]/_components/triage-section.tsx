import Link from "next/link";
import { EXCEPTION_KIND_LABELS } from "@/lib/insight-table/columns";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import { resolvedReasonLabel, STATUS_LABELS, statusFromEnum } from "@/lib/triage/status";
import { FactList, type Fact } from "./fact-list";
import { Section } from "./section";

const linkClass = "font-medium text-primary underline-offset-4 hover:underline";

/** The finding's status and life: first seen failing, due, reopened, resolved, and its exception. */
export function TriageSection({ detail, now = new Date() }: { detail: KeyDetail; now?: Date }) {
  const k = detail.key;
  const status = statusFromEnum(k.status);
  const overdue = k.status === "OPEN" && k.dueAt !== null && k.dueAt < now;
  const x = detail.triage.exception;
  const facts: Fact[] = [
    { term: "Status", value: <span data-testid="finding-status">{STATUS_LABELS[status]}</span> },
    { term: "First seen failing", value: formatUtcMinute(k.firstFailedAt) },
    {
      term: "Failing since",
      value: k.status === "OPEN" || k.status === "EXCEPTED" ? formatUtcMinute(k.failingSince) : "",
    },
    {
      term: "Due",
      value: k.dueAt ? (
        <>
          {formatUtcMinute(k.dueAt)} {overdue && <span className="font-semibold text-critical">overdue</span>}
        </>
      ) : (
        ""
      ),
    },
    { term: "Reopened", value: `${k.reopenedCount} time${k.reopenedCount === 1 ? "" : "s"}` },
  ];
  if (k.resolvedAt)
    facts.push({
      term: "Resolved",
      value: `${formatUtcMinute(k.resolvedAt)} (${resolvedReasonLabel(k.resolvedReason)})`,
    });
  if (k.exceptionExpiredAt)
    facts.push({ term: "Exception", value: `exception expired on ${formatUtcMinute(k.exceptionExpiredAt)}` });
  if (x)
    facts.push({
      term: "Exception",
      value: (
        <span data-testid="current-exception">
          {EXCEPTION_KIND_LABELS[x.kind]}: {x.justification} (owner {x.owner}; expires{" "}
          {formatUtcMinute(x.expiresAt)};{" "}
          <Link href="/exceptions" className={linkClass}>
            exceptions
          </Link>
          )
        </span>
      ),
    });
  return (
    <Section id="triage-heading" title="Status">
      <FactList facts={facts} />
    </Section>
  );
}
