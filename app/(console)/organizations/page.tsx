import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { RegionList } from "@/components/aws/region-list";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableEmptyRow, TableRow } from "@/components/ui/table";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listOrganizations, removalMessage } from "@/lib/organizations/service";
import { describeSyncSummary, readSyncSummary } from "@/lib/organizations/summary";
import { OrganizationActions } from "./_components/organization-actions";
import { OrganizationForm } from "./_components/organization-form";

export const metadata: Metadata = { title: "Organizations" };

const HEADERS = ["Organization", "Member role", "Rules", "Accounts", "Last sync", "Actions"];

const ACCESS: Record<string, string> = {
  DEFAULT_CHAIN: "Default credential chain",
  PROFILE: "Profile",
  ROLE: "Assume role",
  SANDBOX: "Demo sandbox",
};

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function OrganizationsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const { removed, edit } = await props.searchParams;
  const removedMessage =
    typeof removed === "string" && removed.length <= 64 ? await removalMessage(prisma, removed) : null;
  const orgs = await listOrganizations(prisma);
  const editing = typeof edit === "string" ? orgs.find((o) => o.id === edit && !o.isDemo) : undefined;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="AWS organizations"
        description="Organizations whose accounts are added and kept up to date by a sync: on adding, before each scheduled scan and with Sync now. See docs/organizations.md for the roles to create."
      />
      {removedMessage ? <Alert>{removedMessage}</Alert> : null}
      {typeof edit === "string" && !editing ? (
        <Alert tone="warning">
          There is no organization to edit with that id (the demo organization cannot be edited).
        </Alert>
      ) : null}
      <Table caption="Configured organizations" columns={HEADERS}>
        {orgs.length === 0 ? (
          <TableEmptyRow colSpan={HEADERS.length}>No organization yet. Add one below.</TableEmptyRow>
        ) : null}
        {orgs.map((o) => {
          const summary = readSyncSummary(o.lastSyncSummary);
          return (
            <TableRow key={o.id}>
              <TableCell>
                <div className="font-medium">{o.name}</div>
                {o.awsOrganizationId ? (
                  <div className="font-mono text-xs text-muted-foreground">{o.awsOrganizationId}</div>
                ) : null}
                <div className="text-xs text-muted-foreground">
                  {o.isDemo ? ACCESS.SANDBOX : ACCESS[o.accessMethod]}
                </div>
                {o.roleArn ? (
                  <div className="break-all font-mono text-xs text-muted-foreground">{o.roleArn}</div>
                ) : null}
              </TableCell>
              <TableCell className="font-mono text-xs">{o.memberRoleName}</TableCell>
              <TableCell className="text-xs">
                {o.includeOus.length ? <div>Include: {o.includeOus.join(", ")}</div> : null}
                {o.excludeOus.length ? <div>Exclude: {o.excludeOus.join(", ")}</div> : null}
                {o.regionAllow.length ? (
                  <div>
                    Regions: <RegionList regions={o.regionAllow} />
                  </div>
                ) : null}
                {o.regionDeny.length ? (
                  <div>
                    Not: <RegionList regions={o.regionDeny} />
                  </div>
                ) : null}
                {!o.includeOus.length && !o.excludeOus.length && !o.regionAllow.length && !o.regionDeny.length
                  ? "Every OU, every enabled region"
                  : null}
              </TableCell>
              <TableCell>
                <a className="text-primary underline" href="/accounts">
                  {o.activeCount} active
                </a>
                <div className="text-xs text-muted-foreground">of {o.accountCount} accounts</div>
              </TableCell>
              <TableCell className="max-w-xs text-xs" data-testid="last-sync">
                {o.lastSyncAt ? (
                  <div className="text-muted-foreground">{utc(o.lastSyncAt)}</div>
                ) : (
                  "Not synced yet"
                )}
                {o.lastSyncError ? (
                  <div className="text-destructive">Failed: {o.lastSyncError}</div>
                ) : summary ? (
                  <div>{describeSyncSummary(summary)}</div>
                ) : null}
              </TableCell>
              <TableCell>
                <OrganizationActions id={o.id} name={o.name} editable={!o.isDemo} />
              </TableCell>
            </TableRow>
          );
        })}
      </Table>
      <Card>
        <CardHeader>
          <CardTitle>{editing ? `Edit ${editing.name}` : "Add an organization"}</CardTitle>
          <CardDescription>
            Every field is checked before anything is saved; external ids are stored encrypted and never shown
            again{editing ? " (leave them blank to keep them)" : ""}.{" "}
            {editing ? (
              <a className="text-primary underline" href="/organizations">
                Add an organization instead
              </a>
            ) : (
              "The first sync starts at once."
            )}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <OrganizationForm
            key={editing?.id ?? "new"}
            initial={
              editing
                ? {
                    id: editing.id,
                    name: editing.name,
                    accessMethod: editing.accessMethod as "DEFAULT_CHAIN" | "PROFILE" | "ROLE",
                    roleArn: editing.roleArn ?? "",
                    profile: editing.profile ?? "",
                    hasExternalId: !!editing.externalIdCipher,
                    memberRoleName: editing.memberRoleName,
                    hasMemberExternalId: !!editing.memberExternalIdCipher,
                    includeOus: editing.includeOus,
                    excludeOus: editing.excludeOus,
                    regionAllow: editing.regionAllow,
                    regionDeny: editing.regionDeny,
                    endpointUrl: editing.endpointUrl ?? "",
                  }
                : undefined
            }
          />
        </CardContent>
      </Card>
    </div>
  );
}
