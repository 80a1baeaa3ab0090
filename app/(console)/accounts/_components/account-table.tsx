import { RegionList } from "@/components/aws/region-list";
import { OrgStatusBadge } from "@/components/organizations/org-status-badge";
import { Alert } from "@/components/ui/alert";
import { Table, TableCell, TableEmptyRow, TableRow } from "@/components/ui/table";
import { accountsHref, type AccountFilters } from "@/lib/accounts/filters";
import { fetchAccountPage } from "@/lib/accounts/query";
import type { AccountScope } from "@/lib/auth/account-scope";
import { prisma } from "@/lib/db";
import { AccountActions } from "./account-actions";
import { AccountPagination } from "./account-pagination";

const HEADERS = ["Account", "Regions", "Access", "Remediation", "Status", "Last access test", "Actions"];

const ACCESS: Record<string, string> = {
  DEFAULT_CHAIN: "Default credential chain",
  PROFILE: "Profile",
  ROLE: "Assume role",
  SANDBOX: "Demo sandbox",
};

/** One page of the accounts the filters select, with the count and the pager. */
export async function AccountTable({
  filters,
  scope,
  filtered,
}: {
  filters: AccountFilters;
  scope: AccountScope;
  filtered: boolean;
}) {
  const result = await fetchAccountPage(prisma, filters, scope);
  const here = accountsHref({ ...filters, page: result.page });
  const editHref = (id: string) => `${here}${here.includes("?") ? "&" : "?"}edit=${id}#account-form`;
  const first = (result.page - 1) * filters.pageSize + 1;
  const last = first + result.rows.length - 1;
  return (
    <div className="flex flex-col gap-3">
      {result.page !== filters.page ? (
        <Alert tone="warning">
          There is no page {filters.page}; showing the last page, {result.page}.
        </Alert>
      ) : null}
      <p className="text-sm text-muted-foreground" data-testid="account-count" aria-live="polite">
        {result.total === 0
          ? filtered
            ? "No account matches these filters."
            : "No AWS account yet."
          : `Accounts ${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${result.total.toLocaleString("en-US")}${filtered ? " matching these filters" : ""}.`}
      </p>
      <Table caption="Configured accounts" columns={HEADERS} stickyFirstColumn className="min-w-[56rem]">
        {result.total === 0 ? (
          <TableEmptyRow colSpan={HEADERS.length}>
            {filtered ? "No account matches these filters." : "No AWS account yet. Add one below."}
          </TableEmptyRow>
        ) : null}
        {result.rows.map((a) => (
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
              <RegionList regions={a.regions} empty="none yet" />
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
              <AccountActions id={a.id} enabled={a.enabled} editHref={editHref(a.id)} />
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <AccountPagination filters={filters} page={result.page} pageCount={result.pageCount} />
    </div>
  );
}
