"use client";

import type { VisibilityState } from "@tanstack/react-table";
import { useSyncExternalStore } from "react";
import { readColumnVisibility, storedColumnVisibility } from "@/lib/insight-table/column-visibility";

// Which columns show is a preference of this browser, not part of the view: it stays out of the
// URL (and out of the CSV, which always has every column) and lives in localStorage. The stored
// form and the defaults are in lib/insight-table/column-visibility.ts.
const STORAGE_KEY = "kms-insights:kms-key-rotation:hidden-columns";
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled
  }
}

export function useColumnVisibility(): [VisibilityState, (next: VisibilityState) => void] {
  const snapshot = useSyncExternalStore(subscribe, read, () => null);
  const save = (next: VisibilityState) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, storedColumnVisibility(next));
    } catch {
      // storage disabled: the default columns stay
    }
    listeners.forEach((listener) => listener());
  };
  return [readColumnVisibility(snapshot), save];
}
