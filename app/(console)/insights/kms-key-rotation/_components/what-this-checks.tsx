"use client";

import { ChevronDown } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { cn } from "@/lib/utils";

/** One line about the check, and a "What this checks" button that opens the whole explanation under it. */
export function WhatThisChecks({ summary, children }: { summary: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panel = useId();
  return (
    <div className="text-sm">
      <p className="text-muted-foreground">
        {summary}{" "}
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panel}
          onClick={() => setOpen(!open)}
          className="inline-flex items-center gap-0.5 font-medium text-primary underline-offset-4 hover:underline"
        >
          What this checks
          <ChevronDown className={cn("h-4 w-4 transition-transform", open && "rotate-180")} aria-hidden />
        </button>
      </p>
      <div id={panel} hidden={!open} className="mt-3 space-y-4">
        {children}
      </div>
    </div>
  );
}
