import Link from "next/link";
import type { RoleName } from "@/lib/users/schema";
import { MobileMenu } from "./mobile-menu";
import { SignOutButton } from "./sign-out-button";
import { ThemeSwitch } from "./theme-switch";

/**
 * The bar over every console page: the menu button and name below 1024 px, then who is signed in,
 * the theme and sign-out. On a phone the email is read out but not shown, to leave room.
 */
export function ConsoleHeader({
  email,
  role,
  navExtra,
}: {
  email: string;
  role: RoleName;
  /** Shown under the pages in the mobile menu, as in the sidebar. */
  navExtra?: React.ReactNode;
}) {
  return (
    <header className="relative flex items-center gap-2 border-b border-border px-3 py-2 text-sm lg:px-6">
      <MobileMenu role={role}>{navExtra}</MobileMenu>
      <Link href="/" className="font-semibold text-primary lg:hidden">
        KMS Insights
      </Link>
      <div className="ml-auto flex min-w-0 items-center gap-2">
        <span data-testid="current-user" className="flex min-w-0 items-center gap-2">
          <span className="sr-only truncate sm:not-sr-only" title={email}>
            {email}
          </span>
          <span className="rounded bg-muted px-1.5 py-0.5 text-xs capitalize">{role}</span>
        </span>
        <ThemeSwitch />
        <SignOutButton />
      </div>
    </header>
  );
}
