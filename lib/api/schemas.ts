import { z } from "zod";
import { EXCEPTION_STATES } from "@/lib/exceptions/list";
import { EXCEPTION_KINDS, newExceptionSchema } from "@/lib/exceptions/schema";
import { FILTER_DEFS } from "@/lib/insight-table/filter-defs";
import { PAGE_SIZES, SORTABLE_COLUMNS } from "@/lib/insight-table/filters";
import { SEARCH_COUNT_CAP } from "@/lib/insight-table/search-cap";
import { FINDING_STATUSES } from "@/lib/triage/status";
import { REASON_CODES, ROTATION_STATUS_LABELS, SEVERITIES } from "@/lib/verdict/types";

// The API's requests and answers as zod schemas: the requests are parsed with them, and the
// OpenAPI document (./openapi.ts) is generated from them. Answers carry dates as ISO 8601 text.

const instant = z.iso.datetime();
const maybeInstant = instant.nullable();
const accountId = z.string().regex(/^\d{12}$/);

// ---- Requests

/** What each filter of the insight table means, for the document (the parsing is the table's own). */
const FILTER_HELP: Record<string, string> = {
  account: "An AWS account id (repeat for several).",
  ou: "An organizational unit id (ou-… or r-…): the keys of its accounts and of its child OUs' accounts.",
  severity: "CRITICAL, WARNING, OK or NOT_APPLICABLE (repeat for several).",
  region: "An AWS region (repeat for several).",
  tag: "A tag key: keys that have it.",
  tagValue: "With `tag`: keys whose tag has one of these values.",
  q: "Text searched in the key id, alias, ARN, description and tag values.",
  status: "open, excepted, resolved or passing (default: all but excepted).",
  change: "new, resolved or reopened, with `since`.",
  since: "A scan id or a date (YYYY-MM-DD) for `change`.",
  overdue: "1: open findings past their due date.",
};

const sortValues = SORTABLE_COLUMNS.flatMap((c) => [c, `-${c}`]) as [string, ...string[]];

/**
 * The findings' query: the insight table's filters (the same parameter names and values as the
 * console's URL), its sort, a page size and the cursor of the next page.
 */
export const findingsQuerySchema = z.object({
  ...Object.fromEntries(
    FILTER_DEFS.map((def) => {
      const item = def.item as z.ZodType<unknown, string>;
      const schema = def.many ? z.array(item) : item;
      return [def.param, schema.optional().describe(FILTER_HELP[def.param] ?? def.param)];
    }),
  ),
  sort: z
    .enum(sortValues)
    .optional()
    .describe("A column to sort by, `-` first for descending (default: severity)."),
  limit: z
    .enum(PAGE_SIZES.map(String) as [string, ...string[]])
    .optional()
    .describe("Findings per page (default 50)."),
  cursor: z
    .string()
    .max(4000)
    .optional()
    .describe(
      "`nextCursor` of the previous page, with the same filters and sort (`limit` may change). It holds the last row's place in the sort, so the next page is the rows after that row as they are now: a finding that moves, appears or goes away between two pages never makes another one appear twice or not at all.",
    ),
});

export const exportQuerySchema = findingsQuerySchema.omit({ limit: true, cursor: true }).extend({
  format: z.enum(["csv", "jsonl", "ocsf", "asff"]).describe("The file's format (docs/finding-formats.md)."),
});

export const scansQuerySchema = z.object({
  page: z
    .string()
    .regex(/^\d{1,6}$/, "a whole number from 1")
    .optional()
    .describe("Page, 20 scans each (default 1)."),
});

export const exceptionsQuerySchema = z.object({
  state: z
    .array(z.enum(EXCEPTION_STATES))
    .optional()
    .describe("pending, active, expiring, expired or revoked (repeat for several; default all)."),
  page: z
    .string()
    .regex(/^\d{1,6}$/, "a whole number from 1")
    .optional()
    .describe("Page, 50 each (default 1)."),
});

/** The body of POST /exceptions: the console's exception form, as JSON. */
export const newExceptionBodySchema = newExceptionSchema;

export const startScanBodySchema = z
  .object({
    accountIds: z
      .array(accountId)
      .max(1000)
      .optional()
      .describe("Only these accounts (default: every enabled one)."),
  })
  .strict();

// ---- Answers

export const problemSchema = z
  .object({
    status: z.int(),
    title: z.string(),
    detail: z.string().describe("What went wrong and what to do about it."),
    errors: z.array(z.object({ name: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: "Problem", description: "An error (RFC 9457 problem details)." });

const tag = z.object({ key: z.string(), value: z.string() });

export const findingSchema = z
  .object({
    id: z.string().describe("The key's id in the console (GET /keys/{id})."),
    severity: z.enum(SEVERITIES),
    status: z.enum(FINDING_STATUSES),
    reason: z.enum(REASON_CODES),
    description: z.string(),
    accountId,
    accountName: z.string(),
    region: z.string(),
    keyId: z.string(),
    arn: z.string(),
    aliases: z.array(z.string()),
    rotationStatus: z.enum(ROTATION_STATUS_LABELS),
    rotationPeriodDays: z.int().nullable(),
    nextRotation: maybeInstant,
    lastRotation: maybeInstant,
    keyManager: z.string(),
    keySpec: z.string(),
    keyState: z.string(),
    origin: z.string(),
    tags: z.array(tag),
    lastEvaluated: instant,
    firstSeen: maybeInstant,
    openForDays: z.int().nullable(),
    due: maybeInstant,
    overdue: z.boolean(),
    exceptionId: z.string().nullable(),
  })
  .meta({ id: "Finding", description: "A key and its rotation finding, as a row of the insight table." });

export const findingsPageSchema = z.object({
  items: z.array(findingSchema),
  total: z
    .int()
    .describe(
      `Findings the filters select, over every page; with \`totalIsLowerBound\`, a lower bound (${SEARCH_COUNT_CAP.toLocaleString("en-US")}).`,
    ),
  totalIsLowerBound: z
    .boolean()
    .describe(
      `True when a text search (\`q\`) matches more than ${SEARCH_COUNT_CAP.toLocaleString("en-US")} findings: its count stops there, \`total\` is ${SEARCH_COUNT_CAP.toLocaleString("en-US")} and more findings match (follow \`nextCursor\` to read them all, or use the export, which is never capped).`,
    ),
  limit: z.int(),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last."),
});

const historyRun = z.object({
  severity: z.enum(SEVERITIES),
  reason: z.string(),
  from: instant,
  to: instant,
  scans: z.int(),
});

export const keyDetailSchema = z
  .object({
    finding: findingSchema.omit({ openForDays: true, overdue: true }).extend({
      keyUsage: z.string().nullable(),
      enabled: z.boolean(),
      multiRegion: z.boolean(),
      primaryKeyArn: z.string().nullable(),
      creationDate: maybeInstant,
      deletionDate: maybeInstant,
      goneAt: maybeInstant,
      resolvedAt: maybeInstant,
      resolvedReason: z.string().nullable(),
    }),
    history: z.array(historyRun).describe("The finding's changes, newest first."),
    historyCut: z.boolean().describe("True: only the newest 500 scans were read."),
  })
  .meta({ id: "KeyDetail" });

const scanTarget = z.object({
  accountId,
  accountName: z.string(),
  region: z.string(),
  status: z.string(),
  error: z.string().nullable(),
  keysSeen: z.int(),
  keyErrors: z.int(),
  startedAt: maybeInstant,
  finishedAt: maybeInstant,
});

export const scanSchema = z
  .object({
    id: z.string(),
    trigger: z.string(),
    status: z.string(),
    startedBy: z.string(),
    startedAt: instant,
    finishedAt: maybeInstant,
    error: z.string().nullable(),
    targets: z.array(scanTarget).describe("Its account-regions within your accounts."),
  })
  .meta({ id: "Scan" });

export const scansPageSchema = z.object({
  items: z.array(scanSchema),
  total: z.int(),
  page: z.int(),
  pageCount: z.int(),
});

export const startedScanSchema = z.object({ scanId: z.string(), targets: z.int() });

export const accountSchema = z
  .object({
    id: accountId,
    name: z.string(),
    regions: z.array(z.string()),
    enabled: z.boolean(),
    isDemo: z.boolean(),
    accessMethod: z.string(),
    roleArn: z.string().nullable(),
    remediation: z.boolean().describe("Has remediation (write) access."),
    lastTestedAt: maybeInstant,
    lastTestResult: z.string().nullable(),
  })
  .meta({ id: "Account", description: "An AWS account; its secrets (external ids) are never given." });

export const accountsSchema = z.object({ items: z.array(accountSchema) });

export const exceptionSchema = z
  .object({
    id: z.string(),
    seriesId: z.string(),
    version: z.int(),
    kind: z.enum(EXCEPTION_KINDS),
    state: z.string(),
    justification: z.string(),
    ownerEmail: z.string(),
    createdByEmail: z.string(),
    createdAt: instant,
    expiresAt: instant,
    ticketUrl: z.string().nullable(),
    scope: z.object({
      keyArns: z.array(z.string()),
      accounts: z.array(z.string()),
      regions: z.array(z.string()),
      tagKey: z.string().nullable(),
      tagValues: z.array(z.string()),
      aliasPrefix: z.string().nullable(),
    }),
    approvedAt: maybeInstant,
    revokedAt: maybeInstant,
    keysCovered: z.int(),
  })
  .meta({ id: "Exception" });

export const exceptionsPageSchema = z.object({
  items: z.array(exceptionSchema),
  total: z.int(),
  page: z.int(),
});

export const createdExceptionSchema = z.object({
  id: z.string(),
  seriesId: z.string(),
  version: z.int(),
  inForce: z.boolean().describe("False: it waits for an admin's approval."),
  keys: z.int().describe("Failing findings it excepts now."),
});

export const fixPlanSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.string(),
    createdByEmail: z.string(),
    createdAt: instant,
    counts: z.record(z.string(), z.int()),
  })
  .meta({ id: "FixPlan" });

export const fixesSchema = z.object({ items: z.array(fixPlanSchema) });

export const complianceSchema = z
  .object({
    evaluatedKeys: z.int(),
    excepted: z.int(),
    counts: z.record(z.enum(SEVERITIES), z.int()),
    frameworks: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        version: z.string().nullable(),
        references: z.array(z.string()),
        status: z.string(),
        affectedKeys: z.int(),
      }),
    ),
  })
  .meta({ id: "ComplianceStatus" });
