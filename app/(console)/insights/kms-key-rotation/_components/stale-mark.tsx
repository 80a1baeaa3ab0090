"use client";

import { TriangleAlert } from "lucide-react";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

/** A row whose region's last scan failed: an icon, its words for screen readers and in a tooltip. */
export function StaleMark({ text }: { text: string }) {
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <span tabIndex={0} className="inline-flex shrink-0 text-warning" data-testid="stale-mark">
          <TriangleAlert className="h-3.5 w-3.5" aria-hidden />
          <span className="sr-only">{text}</span>
        </span>
      </TooltipTrigger>
      <TooltipContent>{text}</TooltipContent>
    </Tooltip>
  );
}
