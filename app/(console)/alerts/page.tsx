import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableEmptyRow, TableRow } from "@/components/ui/table";
import { listAccounts } from "@/lib/accounts/service";
import { DESTINATION_KIND_LABELS, type DestinationConfig } from "@/lib/alerts/destination-schema";
import { listDestinations } from "@/lib/alerts/destinations";
import { RULE_KIND_LABELS } from "@/lib/alerts/rule-schema";
import { listRules, type RuleView } from "@/lib/alerts/rules";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { SEVERITY_LABELS, type Severity } from "@/lib/verdict/types";
import { DestinationForm } from "./_components/destination-form";
import { DestinationActions, RuleActions } from "./_components/row-actions";
import { RuleForm } from "./_components/rule-form";

export const metadata: Metadata = { title: "Alerts" };

const DESTINATION_COLUMNS = ["Destination", "Kind", "Sends to", "Rules", "Actions"];
const RULE_COLUMNS = ["Rule", "Alerts on", "Scope", "Sends to", "Status", "Actions"];

function sendsTo(config: DestinationConfig): string {
  if (config.kind === "WEBHOOK") return config.url;
  if (config.kind === "SLACK") return `Slack (${config.host})`;
  return `${config.to.join(", ")} via ${config.host}:${config.port}`;
}

function scopeOf(rule: RuleView): string {
  const parts = [
    rule.severities.length ? rule.severities.map((s) => SEVERITY_LABELS[s as Severity]).join(", ") : null,
    rule.accountIds.length ? `accounts ${rule.accountIds.join(", ")}` : null,
    rule.ouIds.length ? `OUs ${rule.ouIds.join(", ")}` : null,
    rule.tagKey ? `tag ${rule.tagKey}${rule.tagValue ? `=${rule.tagValue}` : ""}` : null,
    rule.days !== null ? `within ${rule.days} days` : null,
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : "Everything";
}

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function AlertsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const params = await props.searchParams;
  const [destinations, rules, accountRows] = await Promise.all([
    listDestinations(prisma),
    listRules(prisma),
    listAccounts(prisma),
  ]);
  const accounts = accountRows.map((a) => ({ id: a.id, name: a.name }));
  const editDestinationId = one(params.destination);
  const editRuleId = one(params.rule);
  const editingDestination = destinations.find((d) => d.id === editDestinationId);
  const editingRule = rules.find((r) => r.id === editRuleId);
  const choices = destinations.map((d) => ({ id: d.id, name: d.name }));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Alerts"
        description={
          <>
            Where alerts go and what sends one: after each scan, one message per rule (never one per key,
            never for excepted findings, and a finding once until it is resolved and reopens). See the{" "}
            <Link className="text-primary underline" href="/alerts/deliveries">
              delivery log
            </Link>
            , or <code>npm run cli -- alerts test --destination ID</code>.
          </>
        }
      />
      {(editDestinationId && !editingDestination) || (editRuleId && !editingRule) ? (
        <Alert tone="warning">
          That destination or rule does not exist (any more). Choose one from the tables.
        </Alert>
      ) : null}

      <Table caption="Destinations" captionLook="title" columns={DESTINATION_COLUMNS}>
        {destinations.length === 0 ? (
          <TableEmptyRow colSpan={DESTINATION_COLUMNS.length}>
            No destination yet. Add one below.
          </TableEmptyRow>
        ) : null}
        {destinations.map((d) => (
          <TableRow key={d.id}>
            <TableCell>
              <div className="font-medium">{d.name}</div>
              <div className="font-mono text-xs text-muted-foreground">{d.id}</div>
            </TableCell>
            <TableCell>{DESTINATION_KIND_LABELS[d.kind]}</TableCell>
            <TableCell className="break-all">{sendsTo(d.config)}</TableCell>
            <TableCell>{d.rules}</TableCell>
            <TableCell>
              <DestinationActions id={d.id} name={d.name} />
            </TableCell>
          </TableRow>
        ))}
      </Table>
      {editingDestination ? (
        <Card>
          <CardHeader>
            <CardTitle>Edit destination {editingDestination.name}</CardTitle>
          </CardHeader>
          <CardContent>
            <DestinationForm key={editingDestination.id} initial={editingDestination} />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Add a destination</CardTitle>
          <CardDescription>
            A webhook receives signed JSON, Slack a readable message, email a text and HTML mail. Hosts must
            be listed in INSIGHTS_ALLOWED_ENDPOINT_HOSTS (Slack&apos;s hooks.slack.com is allowed).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DestinationForm />
        </CardContent>
      </Card>

      <Table caption="Rules" captionLook="title" columns={RULE_COLUMNS}>
        {rules.length === 0 ? (
          <TableEmptyRow colSpan={RULE_COLUMNS.length}>No rule yet: nothing is sent.</TableEmptyRow>
        ) : null}
        {rules.map((r) => (
          <TableRow key={r.id}>
            <TableCell className="font-medium">{r.name}</TableCell>
            <TableCell>{RULE_KIND_LABELS[r.kind]}</TableCell>
            <TableCell>{scopeOf(r)}</TableCell>
            <TableCell>{r.destinationName}</TableCell>
            <TableCell>{r.enabled ? "Enabled" : "Disabled"}</TableCell>
            <TableCell>
              <RuleActions id={r.id} name={r.name} enabled={r.enabled} />
            </TableCell>
          </TableRow>
        ))}
      </Table>
      {editingRule ? (
        <Card>
          <CardHeader>
            <CardTitle>Edit rule {editingRule.name}</CardTitle>
          </CardHeader>
          <CardContent>
            <RuleForm key={editingRule.id} destinations={choices} accounts={accounts} initial={editingRule} />
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Add a rule</CardTitle>
          <CardDescription>Rules are evaluated when a scan ends.</CardDescription>
        </CardHeader>
        <CardContent>
          {destinations.length ? (
            <RuleForm destinations={choices} accounts={accounts} />
          ) : (
            <p className="text-sm text-muted-foreground">Add a destination first.</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
