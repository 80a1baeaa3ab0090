import { redirect } from "next/navigation";
import { SavedViewsNav } from "@/components/shell/saved-views-nav";
import { Sidebar } from "@/components/shell/sidebar";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { getCurrentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listSavedViews } from "@/lib/saved-views/list";
import { DemoBanner } from "./_components/demo-banner";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return (
    <div className="flex min-h-screen">
      <Sidebar role={user.role}>
        <SavedViewsNav views={await listSavedViews(prisma, user.id)} />
      </Sidebar>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-3 border-b border-border px-6 py-3 text-sm">
          <span data-testid="current-user">
            {user.email} <span className="rounded bg-muted px-1.5 py-0.5 text-xs uppercase">{user.role}</span>
          </span>
          <SignOutButton />
        </header>
        <DemoBanner />
        <main className="flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
