"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { INSIGHT_TABLE_PATH } from "@/lib/insight-table/table-href";
import type { SavedViewItem, SavedViewLists } from "@/lib/saved-views/list";
import { canonicalViewQuery } from "@/lib/saved-views/query";
import { cn } from "@/lib/utils";

/**
 * The user's saved views ("My views") and those shared with everyone ("Shared") under the
 * sidebar's links, each opening the table on its filters; the one on screen is marked current.
 */
export function SavedViewsNav({ views }: { views: SavedViewLists }) {
  const onManagePage = usePathname() === "/views";
  return (
    <div className="mt-4 flex flex-col gap-3 border-t border-border pt-3" data-testid="saved-views-nav">
      <Suspense fallback={<ViewLists views={views} current={null} />}>
        <CurrentViewLists views={views} />
      </Suspense>
      <Link
        href="/views"
        aria-current={onManagePage ? "page" : undefined}
        className="rounded-md px-2 py-1 text-xs text-muted-foreground hover:bg-background hover:text-foreground aria-[current=page]:font-medium aria-[current=page]:text-primary"
      >
        Manage views
      </Link>
    </div>
  );
}

/** The canonical query of the table on screen, or null on another page. */
function CurrentViewLists({ views }: { views: SavedViewLists }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const current = pathname === INSIGHT_TABLE_PATH ? canonicalViewQuery(params.toString()) : null;
  return <ViewLists views={views} current={current} />;
}

function ViewLists({ views, current }: { views: SavedViewLists; current: string | null }) {
  // The first matching view is the current one: two with the same filters are one place.
  const currentId = [...views.mine, ...views.shared].find(
    (v) => current !== null && canonicalViewQuery(v.query) === current,
  )?.id;
  return (
    <>
      <ViewList id="my-views" title="My views" views={views.mine} currentId={currentId}>
        <p className="px-2 text-xs text-muted-foreground">
          None yet: &ldquo;Save view&rdquo; on the key table keeps its filters here.
        </p>
      </ViewList>
      {views.shared.length > 0 && (
        <ViewList id="shared-views" title="Shared" views={views.shared} currentId={currentId} />
      )}
    </>
  );
}

function ViewList({
  id,
  title,
  views,
  currentId,
  children,
}: {
  id: string;
  title: string;
  views: SavedViewItem[];
  currentId: string | undefined;
  /** Shown when there is no view. */
  children?: React.ReactNode;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <p id={id} className="px-2 text-xs font-semibold uppercase tracking-wide text-muted-foreground">
        {title}
      </p>
      {views.length ? (
        <ul aria-labelledby={id} className="flex min-w-0 flex-col gap-0.5">
          {views.map((view) => {
            const isCurrent = view.id === currentId;
            return (
              <li key={view.id}>
                <Link
                  href={view.href}
                  aria-current={isCurrent ? "page" : undefined}
                  title={id === "shared-views" ? `${view.name}, shared by ${view.ownerEmail}` : view.name}
                  className={cn(
                    "block truncate rounded-md px-2 py-1 text-sm hover:bg-background",
                    isCurrent && "bg-background font-medium text-primary",
                  )}
                >
                  {view.name}
                </Link>
              </li>
            );
          })}
        </ul>
      ) : (
        children
      )}
    </div>
  );
}
