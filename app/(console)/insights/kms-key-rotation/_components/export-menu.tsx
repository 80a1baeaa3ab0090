"use client";

import { ChevronDown, Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FINDING_FORMAT_LABELS, FINDING_FORMATS } from "@/lib/findings-format/format-list";
import { exportFormatHref } from "@/lib/insight-table/table-href";

/**
 * Export CSV in one click, and beside it a menu of every finding format (docs/finding-formats.md),
 * each the same rows. Plain links, not next/link: an export is a download, never a prefetch.
 */
export function ExportMenu({ csvHref }: { csvHref: string }) {
  return (
    <div className="flex items-center">
      <Button asChild variant="outline" size="sm" className="rounded-r-none">
        <a href={csvHref} download>
          <Download className="h-4 w-4" aria-hidden />
          Export CSV
        </a>
      </Button>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            variant="outline"
            size="sm"
            className="-ml-px rounded-l-none px-2"
            aria-label="Export formats"
            data-testid="export-formats"
          >
            <ChevronDown className="h-4 w-4" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <DropdownMenuLabel>Export these rows as</DropdownMenuLabel>
          <DropdownMenuSeparator />
          {FINDING_FORMATS.map((format) => (
            <DropdownMenuItem key={format} asChild>
              <a href={exportFormatHref(csvHref, format)} download>
                {FINDING_FORMAT_LABELS[format]}
              </a>
            </DropdownMenuItem>
          ))}
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}
