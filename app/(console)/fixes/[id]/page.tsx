import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { FixItemStateBadge, FixStatusBadge } from "@/components/fixes/fix-badges";
import { PageHeader } from "@/components/shell/page-header";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { Button } from "@/components/ui/button";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { FIX_COMMANDS_PATH } from "@/lib/insight-table/table-href";
import { skipReasonLabel } from "@/lib/remediation/judge";
import { MAX_SELECTED_KEYS } from "@/lib/remediation/script-request";
import { approvalRefusal } from "@/lib/remediation/lifecycle";
import { fetchFixPlan, type FixPlanDetail } from "@/lib/remediation/read";
import { getSettings } from "@/lib/settings";
import { toDbRole } from "@/lib/users/schema";
import { FactList } from "../../keys/[id]/_components/fact-list";
import { PlanControls } from "./_components/plan-controls";
import { RefreshWhileRunning } from "./_components/refresh-while-running";

type Props = { params: Promise<{ id: string }> };

const planFor = cache(async (id: string) => {
  const user = await requirePageUser();
  return { user, plan: await fetchFixPlan(prisma, id, user.accountScope) };
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { plan } = await planFor((await params).id);
  return { title: plan ? (plan.kind === "ROLLBACK" ? "Rollback plan" : "Fix plan") : "Fix plan not found" };
}

type Item = FixPlanDetail["items"][number];

function call(item: Item): string {
  if (item.action === "SKIP") return skipReasonLabel(item.skipReason ?? "");
  if (item.action === "DISABLE_ROTATION") return "Turn rotation off (DisableKeyRotation)";
  return `Rotate every ${item.periodDays} days (EnableKeyRotation)`;
}

const rotation = (enabled: boolean | null, period: number | null) =>
  enabled === null ? "unknown" : enabled ? `on, ${period} days` : "off";

function result(item: Item): string {
  if (item.state === "SKIPPED" && item.action !== "SKIP")
    return `Skipped: ${skipReasonLabel(item.skipReason ?? "")}`;
  if (item.state === "FAILED") return item.error ?? "Failed";
  if (item.state === "DONE")
    return `${rotation(item.beforeEnabled, item.beforePeriodDays)} → ${rotation(item.afterEnabled, item.afterPeriodDays)}`;
  return "";
}

const keysText = (n: number) => (n === 1 ? "1 key" : `${n} keys`);

export default async function FixPlanPage({ params }: Props) {
  const { user, plan } = await planFor((await params).id);
  if (!plan) notFound();
  const settings = await getSettings(prisma);
  const actor = {
    actorId: user.id,
    actorEmail: user.email,
    role: toDbRole(user.role),
    scope: user.accountScope,
  };
  const admin = user.role === "admin";
  const c = plan.counts;
  const calls = plan.items.filter((i) => i.action !== "SKIP");
  const finished = calls.filter((i) => i.state !== "PENDING").length;
  const running = plan.status === "RUNNING";
  const noAccess = plan.items.filter((i) => i.skipReason === "NO_REMEDIATION_ACCESS").map((i) => i.keyArn);
  const openRollback = plan.rollbacks.some((r) => ["PLANNED", "APPROVED", "RUNNING"].includes(r.status));
  return (
    <div className="flex max-w-6xl flex-col gap-6">
      <RefreshWhileRunning running={running} />
      <PageHeader
        back={{ href: "/fixes", label: "Back to the fixes" }}
        title={plan.kind === "ROLLBACK" ? "Rollback plan" : "Fix plan"}
        description={<FixStatusBadge status={plan.status} />}
      />
      <section
        aria-labelledby="plan-heading"
        className="rounded-lg border border-border bg-card p-5 shadow-sm"
      >
        <h2 id="plan-heading" className="mb-3 text-base font-semibold">
          Summary
        </h2>
        <FactList
          facts={[
            {
              term: "Changes",
              value: `${keysText(plan.changeCount)} to change, ${keysText(plan.skipCount)} skipped`,
            },
            ...(plan.kind === "ROLLBACK" && plan.rollbackOfId
              ? [
                  {
                    term: "Rolls back",
                    value: (
                      <Link href={`/fixes/${plan.rollbackOfId}`} className="text-primary underline">
                        the fix it restores
                      </Link>
                    ),
                  },
                ]
              : [
                  {
                    term: "Rotation period",
                    value: plan.periodDays ? `${plan.periodDays} days` : "the policy's maximum",
                  },
                ]),
            { term: "Planned", value: `${formatUtcMinute(plan.createdAt)} by ${plan.createdByEmail}` },
            {
              term: "Approved",
              value: plan.approvedAt
                ? `${formatUtcMinute(plan.approvedAt)} by ${plan.approvedByEmail}`
                : plan.status === "PLANNED"
                  ? `not yet (expires ${formatUtcMinute(plan.expiresAt)})`
                  : "no",
            },
            ...(plan.startedAt ? [{ term: "Started", value: formatUtcMinute(plan.startedAt) }] : []),
            ...(plan.finishedAt ? [{ term: "Ended", value: formatUtcMinute(plan.finishedAt) }] : []),
            ...(plan.cancelledByEmail ? [{ term: "Cancelled by", value: plan.cancelledByEmail }] : []),
            ...plan.rollbacks.map((r) => ({
              term: "Rollback",
              value: (
                <Link href={`/fixes/${r.id}`} className="text-primary underline">
                  planned {formatUtcMinute(r.createdAt)}
                </Link>
              ),
            })),
          ]}
        />
        {noAccess.length > 0 && (
          <form
            method="post"
            action={FIX_COMMANDS_PATH}
            className="mt-4 flex flex-wrap items-center gap-2 text-sm"
            data-testid="no-access-commands"
          >
            <p className="text-muted-foreground">
              {keysText(noAccess.length)} skipped:{" "}
              {noAccess.length === 1 ? "its account has" : "their accounts have"} no remediation access.
              {noAccess.length > MAX_SELECTED_KEYS &&
                ` The script holds the first ${MAX_SELECTED_KEYS}; the table's CLI commands give every key of a filter.`}
            </p>
            {noAccess.slice(0, MAX_SELECTED_KEYS).map((arn) => (
              <input key={arn} type="hidden" name="key" value={arn} />
            ))}
            {plan.periodDays ? <input type="hidden" name="period" value={plan.periodDays} /> : null}
            <Button type="submit" variant="outline" size="sm">
              Download their AWS CLI commands
            </Button>
          </form>
        )}
        {plan.startedAt ? (
          <div className="mt-4 text-sm" data-testid="fix-progress">
            <div
              role="progressbar"
              aria-label="Keys done"
              aria-valuemin={0}
              aria-valuemax={calls.length}
              aria-valuenow={finished}
              className="h-2 w-full overflow-hidden rounded-full bg-muted"
            >
              <div
                className={running ? "h-full bg-primary" : c.FAILED ? "h-full bg-warning" : "h-full bg-ok"}
                style={{ width: `${calls.length ? Math.round((100 * finished) / calls.length) : 100}%` }}
              />
            </div>
            <p className="mt-2 text-muted-foreground" aria-live="polite">
              {c.DONE} done, {c.FAILED} failed, {c.PENDING} pending, {c.SKIPPED} skipped
              {running ? " (running: this page follows it)" : ""}.
            </p>
          </div>
        ) : null}
        <div className="mt-4">
          <PlanControls
            id={plan.id}
            changeCount={plan.changeCount}
            approve={admin && plan.status === "PLANNED"}
            approveRefusal={approvalRefusal(plan, actor, settings["fixes.requireSecondPerson"])}
            run={admin ? (plan.status === "APPROVED" ? "run" : running ? "resume" : null) : null}
            cancel={admin && (plan.status === "PLANNED" || plan.status === "APPROVED")}
            rollback={
              user.role !== "viewer" &&
              plan.kind === "FIX" &&
              (plan.status === "COMPLETED" || plan.status === "PARTIAL") &&
              c.DONE > 0 &&
              !openRollback
            }
          />
        </div>
      </section>
      <Table
        caption="Keys"
        captionLook="title"
        columns={["Key", "Account", "Region", "Call or reason to skip", "State", "Result"]}
        stickyFirstColumn
        data-testid="fix-items"
      >
        {plan.items.map((i) => (
          <TableRow key={String(i.id)} data-key-arn={i.keyArn}>
            <TableRowHead className="max-w-64 font-mono text-xs break-all">
              {i.keyRowId ? (
                <Link href={`/keys/${i.keyRowId}`} className="text-primary underline">
                  {i.keyId}
                </Link>
              ) : (
                i.keyId
              )}
            </TableRowHead>
            <TableCell className="font-mono text-xs">{i.accountId}</TableCell>
            <TableCell className="whitespace-nowrap">{i.region}</TableCell>
            <TableCell>{call(i)}</TableCell>
            <TableCell>
              <FixItemStateBadge state={i.state} />
            </TableCell>
            <TableCell className="max-w-md break-words">{result(i)}</TableCell>
          </TableRow>
        ))}
      </Table>
    </div>
  );
}
