// The words of triage: a finding's status and the changes between scans, as the URL, the CSV and
// the screen name them. The database keeps the upper-case enums (FindingStatus, FindingEventKind).

/** URL and CSV values of the status filter, in the order the console lists them. */
export const FINDING_STATUSES = ["open", "excepted", "resolved", "passing"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const STATUS_LABELS: Record<FindingStatus, string> = {
  open: "Open",
  excepted: "Excepted",
  resolved: "Resolved",
  passing: "Passing",
};

/** What the table shows when no status is chosen: every status but excepted. */
export const DEFAULT_STATUSES: readonly FindingStatus[] = ["open", "resolved", "passing"];

/** The database's name of a status. */
export const statusEnum = (status: FindingStatus) => status.toUpperCase();

/** A status as the database returns it, in the URL's words. */
export function statusFromEnum(value: string): FindingStatus {
  const status = value.toLowerCase() as FindingStatus;
  return FINDING_STATUSES.includes(status) ? status : "passing";
}

/** The changes a scan records, as the change filter names them. */
export const FINDING_CHANGES = ["new", "resolved", "reopened"] as const;
export type FindingChange = (typeof FINDING_CHANGES)[number];

/** Why a finding was resolved, in words (the verdict's reason codes otherwise read as they are). */
export function resolvedReasonLabel(reason: string | null): string {
  switch (reason) {
    case null:
      return "";
    case "KEY_DELETED":
      return "key deleted";
    case "ROTATION_ENABLED":
      return "rotation enabled";
    case "PENDING_DELETION":
      return "key pending deletion";
    default:
      return `no longer failing (${reason})`;
  }
}

/** An exception's kind as the database names it (ExceptionKind), in the URL's and CLI's words. */
export function exceptionKindFromEnum(value: string): "accepted-risk" | "false-positive" {
  return value === "FALSE_POSITIVE" ? "false-positive" : "accepted-risk";
}
