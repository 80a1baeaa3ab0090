import type { Metadata } from "next";
import { AdminOnly } from "@/components/shell/admin-only";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ListTableHead } from "@/components/ui/table";
import { listAccounts } from "@/lib/accounts/service";
import { AWS_REGIONS } from "@/lib/aws/regions";
import { getCurrentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { AccountActions } from "./_components/account-actions";
import { AccountForm } from "./_components/account-form";
import { ScanNowButton } from "./_components/scan-now-button";

export const metadata: Metadata = { title: "Accounts" };

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
  if (user?.role !== "admin") return <AdminOnly what="manage AWS accounts" />;
  const { edit } = await props.searchParams;
  const accounts = await listAccounts(prisma);
  const editing =
    typeof edit === "string"
      ? accounts.find((a) => a.id === edit && a.accessMethod !== "SANDBOX")
      : undefined;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">AWS accounts</h1>
          <p className="text-sm text-muted-foreground">
            The accounts and regions the collector scans. See the README for the IAM role to create in each.
          </p>
        </div>
        <ScanNowButton />
      </div>
      <Card>
        <CardContent className="overflow-x-auto p-0">
          <table className="w-full text-sm">
            <caption className="sr-only">Configured accounts</caption>
            <ListTableHead
              headers={["Account", "Regions", "Access", "Status", "Last access test", "Actions"]}
            />
            <tbody>
              {accounts.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-6 text-center text-muted-foreground">
                    No AWS account yet. Add one below.
                  </td>
                </tr>
              ) : null}
              {accounts.map((a) => (
                <tr key={a.id} className="border-b border-border align-top">
                  <td className="px-4 py-3">
                    <div className="font-medium">{a.name}</div>
                    <div className="font-mono text-xs text-muted-foreground">{a.id}</div>
                  </td>
                  <td className="px-4 py-3">{a.regions.join(", ")}</td>
                  <td className="px-4 py-3">
                    {ACCESS[a.accessMethod]}
                    {a.roleArn ? (
                      <div className="break-all font-mono text-xs text-muted-foreground">{a.roleArn}</div>
                    ) : null}
                    {a.externalIdCipher ? (
                      <div className="text-xs text-muted-foreground">with external id</div>
                    ) : null}
                    {a.profile ? (
                      <div className="font-mono text-xs text-muted-foreground">{a.profile}</div>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">{a.enabled ? "Enabled" : "Disabled"}</td>
                  <td className="max-w-xs px-4 py-3 text-xs">
                    {a.lastTestResult ?? "Never tested"}
                    {a.lastTestedAt ? (
                      <div className="text-muted-foreground">
                        {a.lastTestedAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                      </div>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">
                    <AccountActions id={a.id} enabled={a.enabled} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
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
                    accessMethod: editing.accessMethod as "DEFAULT_CHAIN" | "PROFILE" | "ROLE",
                    profile: editing.profile ?? "",
                    roleArn: editing.roleArn ?? "",
                    hasExternalId: !!editing.externalIdCipher,
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
