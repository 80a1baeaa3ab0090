import { parseArgs } from "node:util";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startBoss, startWorker } from "@/lib/collector/queue";
import { toSearchParams } from "@/lib/insight-table/filters";
import { CLI_ACTOR, FixError, type FixActor } from "@/lib/remediation/actor";
import { skipReasonLabel } from "@/lib/remediation/judge";
import { approveFixPlan, cancelFixPlan, fixStatusWords, startFixRun } from "@/lib/remediation/lifecycle";
import { planFix, planRollback } from "@/lib/remediation/plan";
import { enqueueFixJobs } from "@/lib/remediation/queue";
import { fetchFixPlan, type FixPlanDetail } from "@/lib/remediation/read";
import { accountScopeOf } from "@/lib/users/account-scope";
import { FILTER_FLAG_HELP, FILTER_FLAG_OPTIONS, FILTER_FLAG_USAGE, filtersFromFlags } from "./filter-flags";
import { formatTable, UsageError, type CliIO } from "./io";
import { unknownSubcommand, PROGRAM, type CommandHelp } from "./help";

export const FIX_HELP: CommandHelp = {
  command: "fix",
  summary: "plan, approve, run and roll back rotation fixes",
  usage: [
    `fix plan ${FILTER_FLAG_USAGE[0]}`,
    ...FILTER_FLAG_USAGE.slice(1).map((l) => `         ${l}`),
    "         [--key ARN]... [--period DAYS] [--as EMAIL]",
    "fix show ID [--json]",
    "fix approve ID --count N [--as EMAIL]",
    "fix run ID [--wait] [--as EMAIL]",
    "fix cancel ID [--as EMAIL]",
    "fix rollback ID [--as EMAIL]",
  ],
  description:
    "plan: a stored plan that turns on automatic rotation (EnableKeyRotation) on the keys the filters " +
    "select (the insight page's, as for export) or the --key ARNs given, listing each key it skips and " +
    "why; prints the plan and, last, its id. show: a plan, its keys and their results. approve: " +
    '--count is the number of keys the plan changes, typed as a check; with the setting "fixes need a ' +
    'second person" another admin than the planner approves. run: queues the approved plan for the ' +
    "workers (run it again to resume an interrupted run; no key is written twice); --wait works it " +
    "in this command and waits for the end. rollback: plans the undoing of a completed fix, to " +
    'approve and run like any plan. The command line acts as an admin of every account, "cli" in ' +
    "the audit log; --as names the console user who acts instead (their role and accounts apply).",
  options: [
    ...FILTER_FLAG_HELP,
    { flag: "--key ARN", text: "plan: this key (instead of filters); repeatable" },
    {
      flag: "--period DAYS",
      text: "plan: the rotation period, from 90 to the policy's maximum",
      default: "the policy's maximum",
    },
    { flag: "--count N", text: "approve: the number of keys the plan changes" },
    { flag: "--wait", text: "run: work the plan here and wait until it ends" },
    { flag: "--json", text: "show: JSON instead of tables" },
    { flag: "--as EMAIL", text: "act as this console user", default: "cli, an admin of every account" },
  ],
};

const WAIT_POLL_MS = 500;

export async function fixCommand(argv: string[], db: PrismaClient, url: string, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case "plan":
        return await plan(rest, db, io);
      case "show":
        return await show(rest, db, io);
      case "approve":
        return await approve(rest, db, io);
      case "run":
        return await run(rest, db, url, io);
      case "cancel": {
        const { id, actor } = await idAndActor(rest, db, "cancel");
        await cancelFixPlan(db, id, actor);
        io.err(`Cancelled ${id}.`);
        return 0;
      }
      case "rollback": {
        const { id, actor } = await idAndActor(rest, db, "rollback");
        const planned = await planRollback(db, id, actor);
        await printPlan(db, planned.id, io);
        io.err(
          `Planned rollback ${planned.id}: ${keys(planned.changeCount)} to restore. ` +
            `Approve it with \`${PROGRAM} fix approve ${planned.id} --count ${planned.changeCount}\`.`,
        );
        return 0;
      }
      default:
        throw unknownSubcommand("fix", sub, ["plan", "show", "approve", "run", "cancel", "rollback"]);
    }
  } catch (err) {
    if (err instanceof FixError) throw new UsageError(err.message);
    throw err;
  }
}

const keys = (n: number) => (n === 1 ? "1 key" : `${n} keys`);

/** The console user named by --as, as a fix actor; the CLI operator without it. */
async function actorFor(db: PrismaClient, email: string | undefined): Promise<FixActor> {
  if (email === undefined) return CLI_ACTOR;
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { accountScopes: { select: { accountId: true } } },
  });
  if (!user || user.disabled) throw new UsageError(`--as: there is no active console user ${email}.`);
  return { actorId: user.id, actorEmail: user.email, role: user.role, scope: accountScopeOf(user) };
}

function oneId(positionals: string[], sub: string): string {
  if (positionals.length !== 1) throw new UsageError(`Give one plan id: \`${PROGRAM} fix ${sub} ID\`.`);
  return positionals[0]!;
}

async function idAndActor(argv: string[], db: PrismaClient, sub: string) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { as: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
  return { id: oneId(positionals, sub), actor: await actorFor(db, values.as) };
}

async function plan(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...FILTER_FLAG_OPTIONS,
      key: { type: "string", multiple: true },
      period: { type: "string" },
      as: { type: "string" },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length)
    throw new UsageError(`fix plan takes no ${JSON.stringify(positionals[0])}: use --key ARN.`);
  const { key, period, as, ...filterFlags } = values;
  const usesFilters = Object.values(filterFlags).some((v) => v !== undefined);
  if (key && usesFilters) throw new UsageError("Give either --key ARNs or filters, not both.");
  let periodDays: number | null = null;
  if (period !== undefined) {
    if (!/^\d+$/.test(period.trim()))
      throw new UsageError(`--period is a whole number of days, not ${JSON.stringify(period)}.`);
    periodDays = Number(period);
  }
  const selection = key
    ? { keys: key }
    : { filters: toSearchParams(filtersFromFlags(filterFlags)).toString() };
  const planned = await planFix(db, { selection, periodDays }, await actorFor(db, as));
  await printPlan(db, planned.id, io);
  io.err(
    `Planned ${planned.id}: ${keys(planned.changeCount)} to change, ${planned.skipCount} skipped. ` +
      (planned.changeCount
        ? `An admin approves it with \`${PROGRAM} fix approve ${planned.id} --count ${planned.changeCount}\`.`
        : "Nothing to approve."),
  );
  return 0;
}

async function show(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" } },
    strict: true,
    allowPositionals: true,
  });
  const id = oneId(positionals, "show");
  const detail = await fetchFixPlan(db, id, null);
  if (!detail) throw new UsageError(`There is no fix plan ${id}.`);
  if (values.json) {
    io.out(JSON.stringify(detail, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), 2));
    return 0;
  }
  io.out(formatPlan(detail));
  return 0;
}

async function approve(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { count: { type: "string" }, as: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
  const id = oneId(positionals, "approve");
  if (values.count === undefined || !/^\d+$/.test(values.count.trim()))
    throw new UsageError("fix approve needs --count N: the number of keys the plan changes, as a check.");
  const approved = await approveFixPlan(db, id, Number(values.count), await actorFor(db, values.as));
  io.err(`Approved ${id}: ${keys(approved.changeCount)}. Run it with \`${PROGRAM} fix run ${id}\`.`);
  return 0;
}

async function run(argv: string[], db: PrismaClient, url: string, io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { wait: { type: "boolean" }, as: { type: "string" } },
    strict: true,
    allowPositionals: true,
  });
  const id = oneId(positionals, "run");
  const actor = await actorFor(db, values.as);
  // Started first: it creates the queue on a database that has none yet.
  const worker = values.wait ? await startWorker(db, url, { schedule: false }) : null;
  const boss = worker?.boss ?? (await startBoss(url, { supervise: false }));
  try {
    const { jobs, resumed } = await startFixRun(db, id, actor);
    await enqueueFixJobs(boss, jobs);
    io.err(`${resumed ? "Resumed" : "Started"} ${id}: ${jobs.length} account-region(s) queued.`);
    if (!worker) {
      io.err(`The console's workers run it: follow it with \`${PROGRAM} fix show ${id}\`.`);
      return 0;
    }
    while ((await db.fixPlan.findUniqueOrThrow({ where: { id } })).status === "RUNNING")
      await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  } finally {
    if (worker) await worker.stop();
    else await boss.stop({ graceful: false, wait: true });
  }
  const detail = (await fetchFixPlan(db, id, null))!;
  io.out(formatPlan(detail));
  return detail.status === "COMPLETED" ? 0 : 1;
}

async function printPlan(db: PrismaClient, id: string, io: CliIO) {
  io.out(formatPlan((await fetchFixPlan(db, id, null))!));
  io.out(id);
}

function call(item: FixPlanDetail["items"][number]): string {
  if (item.action === "SKIP") return `skip: ${skipReasonLabel(item.skipReason ?? "")}`;
  if (item.action === "DISABLE_ROTATION") return "DisableKeyRotation";
  return `EnableKeyRotation ${item.periodDays} days`;
}

const rotation = (enabled: boolean | null, period: number | null) =>
  enabled === null ? "?" : enabled ? `on ${period ?? ""}`.trim() : "off";

export function formatPlan(plan: FixPlanDetail): string {
  const c = plan.counts;
  const head = [
    `Plan ${plan.id}: ${plan.kind === "ROLLBACK" ? `rollback of ${plan.rollbackOfId}` : "fix"}, ${fixStatusWords(plan.status)}`,
    `Planned by ${plan.createdByEmail} on ${plan.createdAt.toISOString()}` +
      (plan.approvedByEmail ? `; approved by ${plan.approvedByEmail}` : "") +
      (plan.status === "PLANNED" ? `; expires ${plan.expiresAt.toISOString()}` : ""),
    `Keys: ${plan.changeCount} to change, ${plan.skipCount} skipped at planning; ` +
      `done ${c.DONE}, failed ${c.FAILED}, pending ${c.PENDING}, skipped ${c.SKIPPED}`,
    "",
  ];
  const rows = plan.items.map((i) => [
    i.keyArn,
    call(i),
    i.state,
    i.state === "DONE"
      ? `${rotation(i.beforeEnabled, i.beforePeriodDays)} -> ${rotation(i.afterEnabled, i.afterPeriodDays)}`
      : (i.error ?? ""),
  ]);
  return [...head, formatTable(["KEY", "CALL", "STATE", "RESULT"], rows)].join("\n");
}
