import Link from "next/link";
import type { RoleName } from "@/lib/users/schema";
import { MainNav } from "./main-nav";

/** The navigation on a wide screen; below 1024 px the header's menu button shows it instead. */
export function Sidebar({ role, children }: { role: RoleName; children?: React.ReactNode }) {
  return (
    <aside className="hidden w-52 shrink-0 flex-col gap-4 border-r border-border bg-muted/60 p-3 lg:flex">
      <Link href="/" className="px-2 text-lg font-semibold text-primary">
        KMS Insights
      </Link>
      <MainNav role={role}>{children}</MainNav>
    </aside>
  );
}
