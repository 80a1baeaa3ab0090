import type PgBoss from "pg-boss";
import type { z } from "zod";
import { startScan } from "@/lib/collector/queue";
import { NoAccountsError, ScanNotQueuedError } from "@/lib/collector/scan";
import type { ExportPool } from "@/lib/db/export-pool";
import { listExceptions, parseExceptionFilters } from "@/lib/exceptions/list";
import { createException, ExceptionError } from "@/lib/exceptions/service";
import { findingsExportResponse } from "@/lib/findings-format/export-response";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { fetchKeyDetail } from "@/lib/insight-table/key-detail";
import { listFixPlans } from "@/lib/remediation/read";
import { fetchScanHistory } from "@/lib/scans/history";
import { fetchComplianceStatus } from "@/lib/verdict/compliance-status";
import { fromDbRole } from "@/lib/users/schema";
import { toAccount, toCompliance, toException, toFixPlan, toKeyDetail, toScansPage } from "./answers";
import { fetchFindingsPage, findingsFilters } from "./findings";
import { problem } from "./problem";
import type { FieldError } from "./request";
import * as S from "./schemas";
import type { TokenUser } from "./tokens";

// Every endpoint of /api/v1, once: its method and path, its schemas (which parse the request and
// make the OpenAPI document), the roles that may call it, and what it does. The functions behind
// them are the console's own; the account scope is the token's user's.

export interface ApiDeps {
  db: PrismaClient;
  /** The export pool (streamed downloads); null: exports answer 503. */
  exports: ExportPool | null;
  /** The job queue's sender, for starting scans. */
  scans: () => Promise<PgBoss>;
}

export interface Call {
  deps: ApiDeps;
  user: TokenUser;
  params: URLSearchParams;
  path: Record<string, string>;
  body: unknown;
  ip: string | null;
}

/** An answer: a JSON body (checked against `response` in the tests), or a Response as is. */
export type Answer = { status: number; body: unknown } | Response;

export interface Endpoint {
  method: "GET" | "POST";
  /** OpenAPI form, below /api/v1: `/keys/{id}`. */
  path: string;
  summary: string;
  description?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  /** A file instead of JSON: its media types. */
  download?: string[];
  status?: 200 | 201 | 202;
  /** Who may call it (default: every role); others get a 403 saying who may. */
  roles?: Role[];
  run: (call: Call) => Promise<Answer>;
}

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const actorOf = (call: Call) => ({
  actorId: call.user.userId,
  actorEmail: call.user.email,
  ip: call.ip,
  apiToken: call.user.tokenName,
});

export const ENDPOINTS: Endpoint[] = [
  {
    method: "GET",
    path: "/findings",
    summary: "Findings: the insight table's rows",
    description:
      "The keys and their rotation findings that the filters select, in your accounts, in a stable order (the sort, then the key). Filters are the console's table URL parameters.",
    query: S.findingsQuerySchema,
    response: S.findingsPageSchema,
    run: async (call) => {
      const page = await fetchFindingsPage(call.deps.db, call.params, call.user.accountScope);
      return "errors" in page ? refused(page.errors) : ok(page);
    },
  },
  {
    method: "GET",
    path: "/findings/export",
    summary: "Export the findings",
    description:
      "Every finding the filters select (no paging), streamed as CSV, JSON Lines, OCSF 1.3 or ASFF (JSON Lines). Audited as export.<format>.",
    query: S.exportQuerySchema,
    download: ["text/csv", "application/x-ndjson"],
    run: async (call) => {
      const read = findingsFilters(call.params, ["format"]);
      if ("errors" in read) return refused(read.errors);
      if (!call.deps.exports)
        return problem(503, "Exports are not available: the database is not configured.");
      const res = await findingsExportResponse({
        db: call.deps.db,
        exports: call.deps.exports,
        params: call.params,
        user: { id: call.user.userId, email: call.user.email, accountScope: call.user.accountScope },
        ip: call.ip,
      });
      // Every export slot taken: the download's sentence and Retry-After, as a problem.
      if (res.status !== 429) return res;
      return problem(429, (await res.text()).trim(), {
        headers: { "Retry-After": res.headers.get("Retry-After") ?? "5" },
      });
    },
  },
  {
    method: "GET",
    path: "/keys/{id}",
    summary: "One key with its finding and history",
    response: S.keyDetailSchema,
    run: async (call) => {
      const detail = await fetchKeyDetail(call.deps.db, call.path.id!, call.user.accountScope);
      if (!detail) return problem(404, "No such key in your accounts: use a finding's `id`.");
      return ok(toKeyDetail(detail));
    },
  },
  {
    method: "GET",
    path: "/scans",
    summary: "Scans and their account-regions",
    description:
      "Newest first, 20 a page; a scoped user sees the scans of its accounts and only their account-regions.",
    query: S.scansQuerySchema,
    response: S.scansPageSchema,
    run: async (call) => {
      const history = await fetchScanHistory(
        call.deps.db,
        { page: Number(call.params.get("page") ?? 1), pageSize: 20 },
        { email: call.user.email, role: fromDbRole(call.user.role), accountScope: call.user.accountScope },
      );
      return ok(toScansPage(history));
    },
  },
  {
    method: "POST",
    path: "/scans",
    summary: "Start a scan (admins)",
    description:
      "As Scan now in the console: every enabled account, or those named. Audited with the token's name.",
    body: S.startScanBodySchema,
    response: S.startedScanSchema,
    status: 202,
    roles: ["ADMIN"],
    run: async (call) => {
      const body = call.body as z.output<typeof S.startScanBodySchema>;
      try {
        const scan = await startScan(call.deps.db, await call.deps.scans(), {
          trigger: "MANUAL",
          requestedBy: call.user.email,
          ...(body.accountIds?.length ? { accountIds: body.accountIds } : {}),
          actor: actorOf(call),
        });
        return ok({ scanId: scan.scanId, targets: scan.jobs.length }, 202);
      } catch (err) {
        if (err instanceof NoAccountsError) return problem(422, err.message);
        if (err instanceof ScanNotQueuedError) return problem(503, err.message);
        throw err;
      }
    },
  },
  {
    method: "GET",
    path: "/accounts",
    summary: "AWS accounts (never a secret)",
    response: S.accountsSchema,
    run: async (call) => {
      const scope = call.user.accountScope;
      const rows = await call.deps.db.awsAccount.findMany({
        where: scope ? { id: { in: [...scope] } } : {},
        orderBy: [{ isDemo: "asc" }, { name: "asc" }, { id: "asc" }],
      });
      return ok({ items: rows.map(toAccount) });
    },
  },
  {
    method: "GET",
    path: "/exceptions",
    summary: "Exceptions",
    query: S.exceptionsQuerySchema,
    response: S.exceptionsPageSchema,
    run: async (call) => {
      const { filters, notices } = parseExceptionFilters(call.params);
      if (notices.length) return refused(notices.map((message) => ({ name: "query", message })));
      const { rows, total } = await listExceptions(call.deps.db, filters, call.user.accountScope);
      return ok({ total, page: filters.page, items: rows.map(toException) });
    },
  },
  {
    method: "POST",
    path: "/exceptions",
    summary: "Create an exception (analysts and admins)",
    description:
      "As New exception in the console: the keys (ARNs) or a rule, a justification, an owner and an expiry at most a year ahead. An analyst's waits for an admin's approval when the setting asks for it. Audited with the token's name.",
    body: S.newExceptionBodySchema,
    response: S.createdExceptionSchema,
    status: 201,
    roles: ["ADMIN", "ANALYST"],
    run: async (call) => {
      try {
        const created = await createException(
          call.deps.db,
          call.body as z.input<typeof S.newExceptionBodySchema>,
          {
            ...actorOf(call),
            role: call.user.role,
            scope: call.user.accountScope,
          },
        );
        return ok(created, 201);
      } catch (err) {
        if (err instanceof ExceptionError)
          return problem(
            422,
            err.message,
            err.field ? { errors: [{ name: err.field, message: err.message }] } : {},
          );
        throw err;
      }
    },
  },
  {
    method: "GET",
    path: "/fixes",
    summary: "Fix plans",
    description: "The newest 200 plans that touch your accounts, with their items' counts by state.",
    response: S.fixesSchema,
    run: async (call) => {
      const plans = await listFixPlans(call.deps.db, call.user.accountScope);
      return ok({ items: plans.map(toFixPlan) });
    },
  },
  {
    method: "GET",
    path: "/compliance",
    summary: "Compliance status",
    description: "Each framework mapped to the rotation check, pass or fail over your accounts' keys.",
    response: S.complianceSchema,
    run: async (call) => {
      const status = await fetchComplianceStatus(call.deps.db, call.user.accountScope);
      return ok(toCompliance(status));
    },
  },
];

function refused(errors: FieldError[]): Response {
  return problem(400, errors.map((e) => e.message).join(" "), { errors });
}
