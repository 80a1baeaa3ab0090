import Link from "next/link";
import type { RoleName } from "@/lib/users/schema";
import { NAV_ITEMS } from "./nav-items";
import { NavLink } from "./nav-link";

/** `children`: more under the links (the saved views). */
export function Sidebar({ role, children }: { role: RoleName; children?: React.ReactNode }) {
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || role === "admin");
  return (
    <nav
      aria-label="Main"
      className="flex w-52 shrink-0 flex-col gap-1 border-r border-border bg-muted/60 p-3"
    >
      <Link href="/" className="mb-4 px-2 text-lg font-semibold text-primary">
        KMS Insights
      </Link>
      {items.map((item) => (
        <NavLink key={item.href} item={item} />
      ))}
      {children}
    </nav>
  );
}
