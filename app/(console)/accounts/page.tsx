import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { OrgStatusBadge } from "@/components/organizations/org-status-badge";
import { ScanNowButton } from "@/components/scans/scan-now-button";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableCell, TableEmptyRow, TableRow } from "@/components/ui/table";
import type { RemediationMethod } from "@/lib/accounts/schema";
import { listAccounts } from "@/lib/accounts/service";
import { AWS_REGIONS } from "@/lib/aws/regions";
import { getCurrentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { scanNowAction } from "../scans/actions";
import { AccountActions } from "./_components/account-actions";
import { AccountForm } from "./_components/account-form";

export const metadata: Metadata = { title: "Accounts" };

const HEADERS = ["Account", "Regions", "Access", "Remediation", "Status", "Last access test", "Actions"];

const ACCESS: Record<string, string> = {
  DEFAULT_CHAIN: "Default credential chain",
  PROFILE: "Profile",
  ROLE: "Assume role",
  SANDBOX: "Demo sandbox",
};

export default async function AccountsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getCurrentUser();
  if (user?.role !== "admin") forbidden();
  const { edit } = await props.searchParams;
  const accounts = await listAccounts(prisma);
  const editing =
    typeof edit === "string"
      ? accounts.find((a) => a.id === edit && a.accessMethod !== "SANDBOX")
      : undefined;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="AWS accounts"
        description="The accounts and regions the collector scans. See the README for the IAM role to create in each."
        actions={<ScanNowButton action={scanNowAction} />}
      />
      <Table caption="Configured accounts" columns={HEADERS}>
        {accounts.length === 0 ? (
          <TableEmptyRow colSpan={HEADERS.length}>No AWS account yet. Add one below.</TableEmptyRow>
        ) : null}
        {accounts.map((a) => (
          <TableRow key={a.id}>
            <TableCell>
              <div className="font-medium">{a.name}</div>
              <div className="font-mono text-xs text-muted-foreground">{a.id}</div>
              {a.ouPath ? (
                <div className="text-xs text-muted-foreground" data-testid="ou-path">
                  {a.organization?.name ? `${a.organization.name}: ` : ""}
                  {a.ouPath}
                </div>
              ) : null}
              <OrgStatusBadge account={a} />
            </TableCell>
            <TableCell>
              {a.regionMode === "ALL_ENABLED" ? (
                <div className="text-xs text-muted-foreground">All enabled regions:</div>
              ) : null}
              {a.regions.join(", ") || "none yet"}
            </TableCell>
            <TableCell>
              {ACCESS[a.accessMethod]}
              {a.roleArn ? (
                <div className="break-all font-mono text-xs text-muted-foreground">{a.roleArn}</div>
              ) : null}
              {a.externalIdCipher ? (
                <div className="text-xs text-muted-foreground">with external id</div>
              ) : null}
              {a.profile ? <div className="font-mono text-xs text-muted-foreground">{a.profile}</div> : null}
            </TableCell>
            <TableCell>
              {a.remediationMethod ? ACCESS[a.remediationMethod] : "None: CLI commands only"}
              {a.remediationRoleArn ? (
                <div className="break-all font-mono text-xs text-muted-foreground">
                  {a.remediationRoleArn}
                </div>
              ) : null}
              {a.remediationExternalIdCipher ? (
                <div className="text-xs text-muted-foreground">with external id</div>
              ) : null}
              {a.remediationProfile ? (
                <div className="font-mono text-xs text-muted-foreground">{a.remediationProfile}</div>
              ) : null}
            </TableCell>
            <TableCell>{a.enabled ? "Enabled" : "Disabled"}</TableCell>
            <TableCell className="max-w-xs text-xs">
              {a.lastTestResult ?? "Never tested"}
              {a.lastTestedAt ? (
                <div className="text-muted-foreground">
                  {a.lastTestedAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                </div>
              ) : null}
            </TableCell>
            <TableCell>
              <AccountActions id={a.id} enabled={a.enabled} />
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <Card>
        <CardHeader>
          <CardTitle>{editing ? `Edit ${editing.name}` : "Add an account"}</CardTitle>
          <CardDescription>
            Every field is checked before anything is saved; the external id is stored encrypted and never
            shown again.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <AccountForm
            key={editing?.id ?? "new"}
            regions={AWS_REGIONS}
            initial={
              editing
                ? {
                    id: editing.id,
                    name: editing.name,
                    regions: editing.regions,
                    regionMode: editing.regionMode,
                    accessMethod: editing.accessMethod as "DEFAULT_CHAIN" | "PROFILE" | "ROLE",
                    profile: editing.profile ?? "",
                    roleArn: editing.roleArn ?? "",
                    hasExternalId: !!editing.externalIdCipher,
                    endpointUrl: editing.endpointUrl ?? "",
                    remediationMethod: (editing.remediationMethod ?? "NONE") as RemediationMethod,
                    remediationProfile: editing.remediationProfile ?? "",
                    remediationRoleArn: editing.remediationRoleArn ?? "",
                    hasRemediationExternalId: !!editing.remediationExternalIdCipher,
                  }
                : undefined
            }
          />
        </CardContent>
      </Card>
    </div>
  );
}
