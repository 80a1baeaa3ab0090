import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Suspense } from "react";
import { ScanNowButton } from "@/components/scans/scan-now-button";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import type { RemediationMethod } from "@/lib/accounts/schema";
import { EMPTY_ACCOUNT_FILTERS, parseAccountFilters, toAccountSearchParams } from "@/lib/accounts/filters";
import { AWS_REGIONS } from "@/lib/aws/regions";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { scanNowAction } from "../scans/actions";
import { AccountFilterForm } from "./_components/account-filter-form";
import { AccountForm } from "./_components/account-form";
import { AccountTable } from "./_components/account-table";

export const metadata: Metadata = { title: "Accounts" };

export default async function AccountsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const { edit, ...params } = await props.searchParams;
  const { filters, notices } = parseAccountFilters(params);
  const key = toAccountSearchParams(filters).toString();
  const filtered =
    toAccountSearchParams({ ...filters, page: 1, pageSize: EMPTY_ACCOUNT_FILTERS.pageSize }).size > 0;
  const [organizations, editing] = await Promise.all([
    prisma.organization.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    typeof edit === "string" && /^\d{12}$/.test(edit)
      ? prisma.awsAccount.findFirst({ where: { id: edit, accessMethod: { not: "SANDBOX" } } })
      : null,
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="AWS accounts"
        description="The accounts and regions the collector scans. See the README for the IAM role to create in each."
        actions={<ScanNowButton action={scanNowAction} />}
      />
      <AccountFilterForm filters={filters} organizations={organizations} />
      {notices.length ? (
        <Alert tone="warning">
          <ul className="list-inside list-disc">
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {typeof edit === "string" && !editing ? (
        <Alert tone="warning">There is no account to edit with that id.</Alert>
      ) : null}
      <Suspense key={key} fallback={<p className="text-sm text-muted-foreground">Loading…</p>}>
        <AccountTable filters={filters} scope={user.accountScope} filtered={filtered} />
      </Suspense>
      <Card id="account-form">
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
