import type { RoleName } from "@/lib/users/schema";
import { NAV_ITEMS } from "./nav-items";
import { NavLink } from "./nav-link";

/**
 * The console's pages a role may open, as the sidebar and the mobile menu show them. `children` come
 * under the pages (a list of saved views, say), in both places.
 */
export function MainNav({ role, children }: { role: RoleName; children?: React.ReactNode }) {
  const items = NAV_ITEMS.filter((item) => !item.adminOnly || role === "admin");
  return (
    <nav aria-label="Main" className="flex flex-col gap-1">
      {items.map((item) => (
        <NavLink key={item.href} item={item} />
      ))}
      {children}
    </nav>
  );
}
