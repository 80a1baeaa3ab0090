import { resolvedReasonLabel, STATUS_LABELS, type FindingStatus } from "@/lib/triage/status";
import { isoDate } from "@/lib/verdict/dates";
import { EXCEPTION_KIND_LABELS, type InsightRow } from "./columns";

/** How the table shows a finding's status: its badge, the overdue mark, a line under it, a tooltip. */
export interface StatusDisplay {
  status: FindingStatus;
  label: string;
  /** Open past its due date (excepted findings are never overdue while the exception holds). */
  overdue: boolean;
  /** One short line under the badge ("" for none). */
  note: string;
  /** The whole story for the tooltip ("" for none): an excepted finding's exception in full. */
  detail: string;
}

export function statusDisplay(row: InsightRow): StatusDisplay {
  const base = { status: row.status, label: STATUS_LABELS[row.status], overdue: false, note: "", detail: "" };
  switch (row.status) {
    case "open": {
      const overdue = row.overdue;
      const note = row.exceptionExpiredAt ? `exception expired on ${isoDate(row.exceptionExpiredAt)}` : "";
      return { ...base, overdue, note, detail: overdue ? `Overdue: due ${isoDate(row.due)}` : "" };
    }
    case "excepted": {
      const x = row.exception;
      if (!x) return base;
      const kind = EXCEPTION_KIND_LABELS[x.kind];
      const until = isoDate(x.expiresAt);
      return {
        ...base,
        note: `${kind} until ${until}`,
        detail: `${kind}: ${x.justification}\nOwner: ${x.owner}\nExpires: ${until}`,
      };
    }
    case "resolved":
      return { ...base, note: resolvedReasonLabel(row.resolvedReason) };
    default:
      return base;
  }
}
