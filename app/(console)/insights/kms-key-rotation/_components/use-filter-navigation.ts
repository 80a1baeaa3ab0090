"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import type { InsightFilters } from "@/lib/insight-table/filters";
import { insightTableHref } from "@/lib/insight-table/table-href";

/** Writes filters to the URL (the page re-renders from it), back at page 1: the old page may not exist. */
export function useFilterNavigation(filters: InsightFilters) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  function navigate(changes: Partial<InsightFilters>) {
    startTransition(() =>
      router.push(insightTableHref({ ...filters, ...changes, page: 1 }), { scroll: false }),
    );
  }
  return { navigate, pending };
}
