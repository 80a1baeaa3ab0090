// The alert message, version 1: the webhook's JSON body as it is sent, and what the Slack and email
// messages are made from (render.ts). docs/alerts.md documents every field; add fields, never
// change one, or raise the version.

export const PAYLOAD_VERSION = 1;
/** Items listed in one message; the rest are counted in `more`. */
export const MAX_ITEMS = 20;

export interface AlertFinding {
  id: string;
  keyArn: string;
  keyId: string;
  accountId: string;
  accountName: string;
  region: string;
  alias: string | null;
  severity: "CRITICAL" | "WARNING";
  change: "NEW" | "REOPENED" | null;
  reason: string;
  description: string;
  failingSince: string | null;
  dueAt: string | null;
  link: string;
}

export interface AlertException {
  id: string;
  kind: "ACCEPTED_RISK" | "FALSE_POSITIVE";
  justification: string;
  ownerEmail: string;
  expiresAt: string;
  findings: number;
  link: string;
}

export interface AlertTarget {
  accountId: string;
  region: string;
  error: string | null;
}

export interface AlertPayload {
  version: typeof PAYLOAD_VERSION;
  /** The delivery's id: the same across retries of one message. */
  id: string;
  type: "alert" | "test";
  title: string;
  summary: string;
  createdAt: string;
  rule: { id: string; name: string; kind: string } | null;
  scan: { id: string; status: string; trigger: string; startedAt: string; finishedAt: string | null } | null;
  /** Findings by severity (finding rules), over all of them, not only those listed. */
  counts: { CRITICAL: number; WARNING: number };
  /** Items the message is about: findings, exceptions or failed account-regions. */
  total: number;
  findings: AlertFinding[];
  exceptions: AlertException[];
  failedTargets: AlertTarget[];
  /** Items not listed (over MAX_ITEMS). */
  more: number;
  /** The console's page showing what the message is about (filtered table, exceptions, scans). */
  link: string;
}

/** The message a "Send test" sends. */
export function testPayload(
  id: string,
  destinationName: string,
  origin: string,
  now = new Date(),
): AlertPayload {
  return {
    version: PAYLOAD_VERSION,
    id,
    type: "test",
    title: `KMS Insights: test message to ${destinationName}`,
    summary: "A test message from KMS Insights: this destination receives alerts.",
    createdAt: now.toISOString(),
    rule: null,
    scan: null,
    counts: { CRITICAL: 0, WARNING: 0 },
    total: 0,
    findings: [],
    exceptions: [],
    failedTargets: [],
    more: 0,
    link: `${origin}/alerts`,
  };
}
