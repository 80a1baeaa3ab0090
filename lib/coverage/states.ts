// The states of an account-region on the coverage page, each in words. The order is the page's
// order of the summary and of the state filter: what needs a person first.

export const COVERAGE_STATES = [
  "ACCESS_DENIED",
  "ERROR",
  "NOT_SCANNED_YET",
  "STALE",
  "SCANNED",
  "REGION_NOT_ENABLED",
  "EXCLUDED",
] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

export const COVERAGE_STATE_LABELS: Record<CoverageState, string> = {
  ACCESS_DENIED: "Access denied",
  ERROR: "Error",
  NOT_SCANNED_YET: "Not scanned yet",
  STALE: "Stale",
  SCANNED: "Scanned",
  REGION_NOT_ENABLED: "Region not enabled",
  EXCLUDED: "Excluded",
};

/** What each state means, for the page's legend and the state filter. */
export const COVERAGE_STATE_HELP: Record<CoverageState, string> = {
  ACCESS_DENIED: "the last attempt was refused: a role, trust policy or permission is missing",
  ERROR: "the last attempt failed for another reason (throttling, the network, the endpoint)",
  NOT_SCANNED_YET: "no scan has reached it yet",
  STALE: "its last successful scan is older than 24 hours",
  SCANNED: "listed successfully in the last 24 hours",
  REGION_NOT_ENABLED: "the region is not enabled in the account (opt-in region)",
  EXCLUDED:
    "not scanned on purpose: the account is disabled, excluded by a rule, or no longer active in its organization",
};

/** Account-regions that the console does not mean to scan: left out of "N of M scanned". */
export const NOT_EXPECTED: readonly CoverageState[] = ["REGION_NOT_ENABLED", "EXCLUDED"];

/** A last success older than this is stale. */
export const FRESH_HOURS = 24;

/** The region of an account's one row while none of its regions is known (not yet discovered). */
export const NO_REGION = "";
