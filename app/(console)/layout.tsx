import { ConsoleHeader } from "@/components/shell/console-header";
import { SavedViewsNav } from "@/components/shell/saved-views-nav";
import { Sidebar } from "@/components/shell/sidebar";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { listSavedViews } from "@/lib/saved-views/list";
import { DemoBanner } from "./_components/demo-banner";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  // What the sidebar shows under the pages; the mobile menu shows the same.
  const navExtra = <SavedViewsNav views={await listSavedViews(prisma, user.id)} />;
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to the page
      </a>
      <Sidebar role={user.role}>{navExtra}</Sidebar>
      <div className="flex min-w-0 flex-1 flex-col">
        <ConsoleHeader email={user.email} role={user.role} navExtra={navExtra} />
        <DemoBanner role={user.role} />
        <main id="main" className="min-w-0 flex-1 p-4 lg:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
