"use client";

import type { Table } from "@tanstack/react-table";
import { Columns3, ShieldCheck, Terminal } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { newExceptionHref } from "@/lib/insight-table/table-href";
import type { DisplayRow } from "@/lib/insight-table/display-row";
import { totalText } from "@/lib/insight-table/search-cap";
import { ExportMenu } from "./export-menu";

export function TableToolbar({
  table,
  total,
  capped,
  exportHref,
  commandsHref,
  selectedArns,
}: {
  table: Table<DisplayRow>;
  total: number;
  /** A capped search's: "more than …". */
  capped: boolean;
  exportHref: string;
  /** The AWS CLI commands that fix the view's keys (a shell script). */
  commandsHref: string;
  /** The ARNs of the rows selected for an exception; null when this user cannot create exceptions. */
  selectedArns: string[] | null;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-muted-foreground" aria-live="polite">
        <span data-testid="insight-total" className="font-semibold text-foreground">
          {totalText(total, capped)}
        </span>{" "}
        {total === 1 && !capped ? "key" : "keys"}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {selectedArns !== null && <ExceptSelected arns={selectedArns} />}
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="outline" size="sm">
              <Columns3 className="h-4 w-4" aria-hidden />
              Columns
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuLabel>Show columns</DropdownMenuLabel>
            <DropdownMenuSeparator />
            {table
              .getAllLeafColumns()
              .filter((column) => column.getCanHide())
              .map((column) => (
                <DropdownMenuCheckboxItem
                  key={column.id}
                  checked={column.getIsVisible()}
                  onCheckedChange={(visible) => column.toggleVisibility(visible === true)}
                  onSelect={(event) => event.preventDefault()} // keep the menu open for the next choice
                >
                  {String(column.columnDef.header)}
                </DropdownMenuCheckboxItem>
              ))}
          </DropdownMenuContent>
        </DropdownMenu>
        <ExportMenu csvHref={exportHref} />
        <Button asChild variant="outline" size="sm">
          <a href={commandsHref} download title="The AWS CLI commands that fix every key of this view">
            <Terminal className="h-4 w-4" aria-hidden />
            CLI commands
          </a>
        </Button>
      </div>
    </div>
  );
}

/** To the new-exception form with the selected keys; inert until a row is selected. */
function ExceptSelected({ arns }: { arns: string[] }) {
  const label = `Except selected keys${arns.length ? ` (${arns.length})` : ""}`;
  if (!arns.length) {
    return (
      <Button variant="outline" size="sm" disabled title="Select keys in the table first">
        <ShieldCheck className="h-4 w-4" aria-hidden />
        {label}
      </Button>
    );
  }
  return (
    <Button asChild variant="outline" size="sm">
      <Link href={newExceptionHref(arns)}>
        <ShieldCheck className="h-4 w-4" aria-hidden />
        {label}
      </Link>
    </Button>
  );
}
