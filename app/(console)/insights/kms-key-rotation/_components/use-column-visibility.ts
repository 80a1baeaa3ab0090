"use client";

import type { VisibilityState } from "@tanstack/react-table";
import { useSyncExternalStore } from "react";
import type { InsightColumnId } from "@/lib/insight-table/columns";

// Which columns show is a preference of this browser, not part of the view: it stays out of the
// URL (and out of the CSV, which always has every column) and lives in localStorage.
const STORAGE_KEY = "kms-insights:kms-key-rotation:hidden-columns";
const DEFAULT_HIDDEN: InsightColumnId[] = ["keySpec", "origin", "arn", "lastEvaluated"];
const DEFAULT_SNAPSHOT = JSON.stringify(DEFAULT_HIDDEN);
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

function read(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? DEFAULT_SNAPSHOT;
  } catch {
    return DEFAULT_SNAPSHOT; // storage disabled
  }
}

function toVisibility(snapshot: string): VisibilityState {
  try {
    const hidden: unknown = JSON.parse(snapshot);
    if (Array.isArray(hidden)) return Object.fromEntries(hidden.map((id) => [String(id), false]));
  } catch {
    // a value we did not write: fall back to the default
  }
  return toVisibility(DEFAULT_SNAPSHOT);
}

export function useColumnVisibility(): [VisibilityState, (next: VisibilityState) => void] {
  const snapshot = useSyncExternalStore(subscribe, read, () => DEFAULT_SNAPSHOT);
  const save = (next: VisibilityState) => {
    const hidden = Object.entries(next)
      .filter(([, visible]) => !visible)
      .map(([id]) => id);
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(hidden));
    } catch {
      // storage disabled: the default columns stay
    }
    listeners.forEach((listener) => listener());
  };
  return [toVisibility(snapshot), save];
}
