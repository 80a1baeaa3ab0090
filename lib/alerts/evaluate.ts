import { randomUUID } from "node:crypto";
import { consoleOrigin } from "@/lib/config/env";
import { inForceSql } from "@/lib/exceptions/coverage";
import { Prisma, type AlertRule, type PrismaClient, type Scan } from "@/lib/generated/prisma/client";
import { INSIGHT_TABLE_PATH } from "@/lib/insight-table/table-href";
import {
  MAX_ITEMS,
  PAYLOAD_VERSION,
  type AlertException,
  type AlertFinding,
  type AlertPayload,
  type AlertTarget,
} from "./payload";

// After a scan ends, each enabled rule makes at most one message (a digest) of what it selects:
// - NEW_OR_REOPENED: findings that this scan made new or reopened, of the rule's severities,
//   accounts, OUs (an OU includes its children: the account's ou_ids path holds it) and tag;
// - SLA_OVERDUE: open findings past their due date, in the same scope;
// - EXCEPTION_EXPIRING: exceptions in force that end within the rule's days;
// - SCAN_FAILED: the scan, when it failed or was partial, with its failed account-regions.
// Excepted findings are never selected (status OPEN only). What a rule has alerted is kept in
// alerted_subjects and not alerted again; a finding's rows go when it is resolved (a trigger on
// finding_events), so a reopened finding alerts again. One transaction per scan: the first process
// to record the scan's evaluation makes its messages; any other finds it done.

type Tx = Prisma.TransactionClient;

interface Digest {
  title: string;
  summary: string;
  counts: AlertPayload["counts"];
  total: number;
  findings: AlertFinding[];
  exceptions: AlertException[];
  failedTargets: AlertTarget[];
  link: string;
  /** Records what the digest alerts, so that it is not alerted again. */
  remember(tx: Tx): Promise<void>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** FROM … WHERE … of the findings a finding rule selects in this scan, not yet alerted by it. */
function findingsSql(rule: AlertRule, scan: Scan): Prisma.Sql {
  const source =
    rule.kind === "NEW_OR_REOPENED"
      ? Prisma.sql`(SELECT DISTINCT ON (kms_key_id) kms_key_id, kind::text AS change FROM finding_events
           WHERE scan_id = ${scan.id} AND kind IN ('NEW', 'REOPENED') ORDER BY kms_key_id, id DESC) e
         JOIN kms_keys k ON k.id = e.kms_key_id`
      : Prisma.sql`(SELECT NULL::text AS change) e CROSS JOIN kms_keys k`;
  const overdue = rule.kind === "SLA_OVERDUE" ? Prisma.sql`AND k.due_at < now()` : Prisma.empty;
  return Prisma.sql`FROM ${source}
    JOIN aws_accounts a ON a.id = k.account_id
    WHERE k.status = 'OPEN' AND k.gone_at IS NULL ${overdue}
      AND (cardinality(${rule.severities}::text[]) = 0 OR k.severity::text = ANY(${rule.severities}::text[]))
      AND (cardinality(${rule.accountIds}::text[]) = 0 OR k.account_id::text = ANY(${rule.accountIds}::text[]))
      AND (cardinality(${rule.ouIds}::text[]) = 0 OR a.ou_ids && ${rule.ouIds}::text[])
      AND (${rule.tagKey}::text IS NULL OR EXISTS (
        SELECT 1 FROM key_tags t WHERE t.kms_key_id = k.id AND t.tag_key = ${rule.tagKey}::text
          AND (${rule.tagValue}::text IS NULL OR t.tag_value = ${rule.tagValue}::text)))
      AND NOT EXISTS (SELECT 1 FROM alerted_subjects s WHERE s.rule_id = ${rule.id} AND s.subject_id = k.id)`;
}

function tableLink(origin: string, params: [string, string][]): string {
  return `${origin}${INSIGHT_TABLE_PATH}?${new URLSearchParams(params).toString()}`;
}

function scopeParams(rule: AlertRule): [string, string][] {
  return [
    ...rule.severities.map((s): [string, string] => ["severity", s]),
    ...rule.accountIds.map((a): [string, string] => ["account", a]),
    ...rule.ouIds.map((o): [string, string] => ["ou", o]),
    ...(rule.tagKey ? [["tag", rule.tagKey] as [string, string]] : []),
    ...(rule.tagKey && rule.tagValue ? [["tagValue", rule.tagValue] as [string, string]] : []),
  ];
}

async function findingDigest(tx: Tx, rule: AlertRule, scan: Scan, origin: string): Promise<Digest | null> {
  const from = findingsSql(rule, scan);
  const counted = await tx.$queryRaw<{ severity: "CRITICAL" | "WARNING"; n: number }[]>`
    SELECT k.severity::text AS severity, count(*)::int AS n ${from} GROUP BY k.severity`;
  const total = counted.reduce((sum, c) => sum + c.n, 0);
  if (total === 0) return null;
  const counts = { CRITICAL: 0, WARNING: 0 };
  for (const c of counted) if (c.severity in counts) counts[c.severity] = c.n;
  const rows = await tx.$queryRaw<
    {
      id: string;
      arn: string;
      key_id: string;
      account_id: string;
      account_name: string;
      region: string;
      alias: string | null;
      severity: "CRITICAL" | "WARNING";
      change: "NEW" | "REOPENED" | null;
      reason: string;
      description: string;
      failing_since: Date | null;
      due_at: Date | null;
    }[]
  >`SELECT k.id, k.arn, k.key_id, k.account_id, a.name AS account_name, k.region, k.aliases[1] AS alias,
      k.severity::text AS severity, e.change, k.reason, k.finding_description AS description,
      k.failing_since, k.due_at
    ${from}
    ORDER BY CASE k.severity WHEN 'CRITICAL' THEN 0 ELSE 1 END, k.account_id, k.region, k.key_id
    LIMIT ${MAX_ITEMS}`;
  const findings = rows.map((r): AlertFinding => ({
    id: r.id,
    keyArn: r.arn,
    keyId: r.key_id,
    accountId: r.account_id,
    accountName: r.account_name,
    region: r.region,
    alias: r.alias,
    severity: r.severity,
    change: r.change,
    reason: r.reason,
    description: r.description,
    failingSince: r.failing_since?.toISOString() ?? null,
    dueAt: r.due_at?.toISOString() ?? null,
    link: `${origin}/keys/${r.id}`,
  }));
  const bySeverity = `${counts.CRITICAL} critical, ${counts.WARNING} warning`;
  const newOrReopened = rule.kind === "NEW_OR_REOPENED";
  const link = newOrReopened
    ? tableLink(origin, [
        ["change", "new"],
        ["change", "reopened"],
        ["since", scan.startedAt.toISOString()],
        ...scopeParams(rule),
      ])
    : tableLink(origin, [["overdue", "1"], ...scopeParams(rule)]);
  return {
    title: newOrReopened
      ? `${plural(total, "new or reopened finding")} (${bySeverity})`
      : `${plural(total, "finding")} past their SLA (${bySeverity})`,
    summary: newOrReopened
      ? `The scan of ${scan.startedAt.toISOString()} found ${plural(total, "new or reopened finding")}: ${bySeverity}.`
      : `${plural(total, "open finding")} ${total === 1 ? "is" : "are"} past ${total === 1 ? "its" : "their"} due date: ${bySeverity}.`,
    counts,
    total,
    findings,
    exceptions: [],
    failedTargets: [],
    link,
    async remember(t) {
      await t.$executeRaw`INSERT INTO alerted_subjects (rule_id, subject_id)
        SELECT ${rule.id}, k.id ${from} ON CONFLICT DO NOTHING`;
    },
  };
}

async function expiringDigest(tx: Tx, rule: AlertRule, origin: string): Promise<Digest | null> {
  const where = Prisma.sql`WHERE ${Prisma.raw(inForceSql("x", "now()"))}
      AND x.expires_at <= now() + make_interval(days => ${rule.days ?? 14}::int)
      AND NOT EXISTS (SELECT 1 FROM alerted_subjects s WHERE s.rule_id = ${rule.id} AND s.subject_id = x.id)`;
  const rows = await tx.$queryRaw<
    {
      id: string;
      kind: AlertException["kind"];
      justification: string;
      owner_email: string;
      expires_at: Date;
      findings: number;
      total: number;
    }[]
  >`SELECT x.id, x.kind::text AS kind, x.justification, x.owner_email, x.expires_at,
      (SELECT count(*) FROM kms_keys k WHERE k.exception_id = x.id)::int AS findings,
      (count(*) OVER ())::int AS total
    FROM exceptions x ${where}
    ORDER BY x.expires_at, x.id LIMIT ${MAX_ITEMS}`;
  const total = rows[0]?.total ?? 0;
  if (total === 0) return null;
  return {
    title: `${plural(total, "exception")} ${total === 1 ? "ends" : "end"} within ${plural(rule.days ?? 14, "day")}`,
    summary: `${plural(total, "exception")} in force ${total === 1 ? "ends" : "end"} within ${plural(rule.days ?? 14, "day")}; ${total === 1 ? "its" : "their"} findings open again then.`,
    counts: { CRITICAL: 0, WARNING: 0 },
    total,
    findings: [],
    exceptions: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      justification: r.justification,
      ownerEmail: r.owner_email,
      expiresAt: r.expires_at.toISOString(),
      findings: r.findings,
      link: `${origin}/exceptions/${r.id}`,
    })),
    failedTargets: [],
    link: `${origin}/exceptions?state=expiring`,
    async remember(t) {
      await t.$executeRaw`INSERT INTO alerted_subjects (rule_id, subject_id)
        SELECT ${rule.id}, x.id FROM exceptions x ${where} ON CONFLICT DO NOTHING`;
    },
  };
}

async function scanFailedDigest(tx: Tx, scan: Scan, origin: string): Promise<Digest | null> {
  if (scan.status !== "FAILED" && scan.status !== "PARTIAL") return null;
  const failed = await tx.scanTarget.findMany({
    where: { scanId: scan.id, status: "FAILED" },
    orderBy: [{ accountId: "asc" }, { region: "asc" }],
    select: { accountId: true, region: true, error: true },
  });
  const all = await tx.scanTarget.count({ where: { scanId: scan.id } });
  const word = scan.status === "FAILED" ? "failed" : "was partial";
  return {
    title: `The scan ${word}: ${failed.length} of ${plural(all, "account-region")} failed`,
    summary: `The scan of ${scan.startedAt.toISOString()} ${word}: ${failed.length} of ${plural(all, "account-region")} could not be read; their keys are kept as they were.`,
    counts: { CRITICAL: 0, WARNING: 0 },
    total: failed.length,
    findings: [],
    exceptions: [],
    failedTargets: failed.slice(0, MAX_ITEMS),
    link: `${origin}/scans`,
    async remember() {},
  };
}

function digestOf(tx: Tx, rule: AlertRule, scan: Scan, origin: string): Promise<Digest | null> {
  switch (rule.kind) {
    case "NEW_OR_REOPENED":
    case "SLA_OVERDUE":
      return findingDigest(tx, rule, scan, origin);
    case "EXCEPTION_EXPIRING":
      return expiringDigest(tx, rule, origin);
    case "SCAN_FAILED":
      return scanFailedDigest(tx, scan, origin);
  }
}

export interface Evaluated {
  deliveryIds: string[];
}

/**
 * Evaluates every enabled rule for a scan that has ended, once: returns the messages made (to be
 * queued), or none when the scan has not ended or was evaluated already.
 */
export async function evaluateScanAlerts(
  db: PrismaClient,
  scanId: string,
  opts: { origin?: string } = {},
): Promise<Evaluated> {
  const scan = await db.scan.findUnique({ where: { id: scanId } });
  if (!scan?.finishedAt) return { deliveryIds: [] };
  const origin = opts.origin ?? consoleOrigin();
  return db.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`
        INSERT INTO alert_scan_evaluations (scan_id) VALUES (${scanId}) ON CONFLICT DO NOTHING`;
      if (!claimed) return { deliveryIds: [] };
      const rules = await tx.alertRule.findMany({ where: { enabled: true }, orderBy: { id: "asc" } });
      const deliveryIds: string[] = [];
      for (const rule of rules) {
        const digest = await digestOf(tx, rule, scan, origin);
        if (!digest) continue;
        const id = randomUUID();
        const payload: AlertPayload = {
          version: PAYLOAD_VERSION,
          id,
          type: "alert",
          title: `KMS Insights: ${digest.title}`,
          summary: digest.summary,
          createdAt: new Date().toISOString(),
          rule: { id: rule.id, name: rule.name, kind: rule.kind },
          scan: {
            id: scan.id,
            status: scan.status,
            trigger: scan.trigger,
            startedAt: scan.startedAt.toISOString(),
            finishedAt: scan.finishedAt?.toISOString() ?? null,
          },
          counts: digest.counts,
          total: digest.total,
          findings: digest.findings,
          exceptions: digest.exceptions,
          failedTargets: digest.failedTargets,
          more: Math.max(
            0,
            digest.total - digest.findings.length - digest.exceptions.length - digest.failedTargets.length,
          ),
          link: digest.link,
        };
        await tx.alertDelivery.create({
          data: {
            id,
            destinationId: rule.destinationId,
            ruleId: rule.id,
            scanId: scan.id,
            title: `${rule.name}: ${digest.title}`,
            payload: payload as unknown as Prisma.InputJsonValue,
          },
        });
        await digest.remember(tx);
        deliveryIds.push(id);
      }
      return { deliveryIds };
    },
    { timeout: 120_000 },
  );
}
