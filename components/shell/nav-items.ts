import { insightTableHref } from "@/lib/insight-table/table-href";

export interface NavItem {
  href: string;
  label: string;
  adminOnly?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: insightTableHref(), label: "Key rotation" },
  { href: "/compliance", label: "Compliance" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/fixes", label: "Fixes" },
  { href: "/scans", label: "Scans" },
  { href: "/coverage", label: "Coverage" },
  { href: "/tokens", label: "API tokens" },
  { href: "/api-docs", label: "API" },
  { href: "/accounts", label: "Accounts", adminOnly: true },
  { href: "/organizations", label: "Organizations", adminOnly: true },
  { href: "/users", label: "Users", adminOnly: true },
  { href: "/audit", label: "Audit log", adminOnly: true },
  { href: "/alerts", label: "Alerts", adminOnly: true },
  { href: "/settings", label: "Settings", adminOnly: true },
];

/** Whether the page at `pathname` is the item's page or one below it; query strings do not count. */
export function isCurrentNavItem(item: NavItem, pathname: string): boolean {
  const path = item.href.split("?")[0]!;
  if (path === "/") return pathname === "/";
  return pathname === path || pathname.startsWith(`${path}/`);
}
