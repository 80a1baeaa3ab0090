"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Header,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { SeverityBadge } from "@/components/insights/severity-badge";
import { OverdueBadge, StatusBadge } from "@/components/insights/status-badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TooltipProvider } from "@/components/ui/tooltip";
import { type InsightFilters, SORTABLE_COLUMNS, type SortableColumnId } from "@/lib/insight-table/filters";
import { TABLE_COLUMNS, type TableColumnId } from "@/lib/insight-table/screen-columns";
import { fixCommandsHref, insightTableHref, keyHref } from "@/lib/insight-table/table-href";
import { cn } from "@/lib/utils";
import type { DisplayRow } from "./display-row";
import { SelectionBar } from "./selection-bar";
import { StaleMark } from "./stale-mark";
import { TableToolbar } from "./table-toolbar";
import { TagChips } from "./tag-chips";
import { useColumnVisibility } from "./use-column-visibility";

// Every row is one line high: long text is cut at its column's width, the whole of it in the
// cell's tooltip (and in the CSV).
const WIDTHS: Partial<Record<TableColumnId, string>> = {
  key: "max-w-60",
  reason: "max-w-72",
  keyId: "max-w-48",
  aliases: "max-w-56",
  description: "max-w-80",
  arn: "max-w-64",
  accountName: "max-w-40",
};
const sortable = (id: TableColumnId): id is SortableColumnId => (SORTABLE_COLUMNS as string[]).includes(id);

function columnsFor(filters: InsightFilters): ColumnDef<DisplayRow>[] {
  return TABLE_COLUMNS.map(({ id, header }) => ({
    id,
    header,
    accessorFn: (row) => row.cells[id],
    enableSorting: sortable(id),
    enableHiding: id !== "key", // the link to the key's page
    cell: ({ row }) => {
      const r = row.original;
      switch (id) {
        case "severity":
          return <SeverityBadge severity={r.severity} />;
        case "status":
          return <StatusCell status={r.status} />;
        case "tags":
          return <TagChips tags={r.tags} />;
        case "key":
          return (
            <span className="flex items-center gap-1.5">
              <Link
                href={keyHref(r.id, filters)}
                title={r.titles.key}
                className={cn(
                  "truncate text-primary hover:underline",
                  WIDTHS.key,
                  r.cells.key === r.keyId && "font-mono text-xs",
                )}
              >
                {r.cells.key}
              </Link>
              {r.stale && <StaleMark text={r.stale} />}
            </span>
          );
        default: {
          const width = WIDTHS[id];
          const text = r.cells[id];
          return width ? (
            <div className={cn("truncate", width)} title={r.titles[id] ?? text}>
              {text}
            </div>
          ) : (
            <span title={r.titles[id]}>{text}</span>
          );
        }
      }
    },
  }));
}

/**
 * The checkboxes of rows chosen for the CLI commands, a fix plan or a new exception (this page's
 * rows; the selection bar offers every key the filters match).
 */
const SELECT_COLUMN: ColumnDef<DisplayRow> = {
  id: "select",
  enableHiding: false,
  enableSorting: false,
  header: ({ table }) => (
    <Checkbox
      aria-label="Select every key on this page"
      checked={
        table.getIsAllPageRowsSelected() ? true : table.getIsSomePageRowsSelected() ? "indeterminate" : false
      }
      onCheckedChange={(checked) => table.toggleAllPageRowsSelected(checked === true)}
    />
  ),
  cell: ({ row }) => (
    <Checkbox
      aria-label={`Select key ${row.original.cells.key}`}
      checked={row.getIsSelected()}
      onCheckedChange={(checked) => row.toggleSelected(checked === true)}
    />
  ),
};

/** The status badge, Overdue beside it, then one short note; an exception's whole text as the tooltip. */
function StatusCell({ status }: { status: DisplayRow["status"] }) {
  return (
    <div className="flex max-w-72 items-center gap-1" title={status.detail || status.note || undefined}>
      <StatusBadge status={status.status} />
      {status.overdue && <OverdueBadge />}
      {status.note && <span className="truncate text-xs text-muted-foreground">{status.note}</span>}
      {status.status === "excepted" && status.detail && (
        // The justification, owner and expiry for screen readers and copy; sighted users hover.
        <span className="sr-only">{status.detail}</span>
      )}
    </div>
  );
}

export function InsightDataTable(props: {
  rows: DisplayRow[];
  filters: InsightFilters;
  total: number;
  exportHref: string;
  /** Admins and analysts: selected keys can be excepted or planned for a fix. */
  canExcept: boolean;
  maxRotationDays: number;
}) {
  const { rows, filters, total, exportHref, canExcept } = props;
  const [columnVisibility, setColumnVisibility] = useColumnVisibility();
  // Client-side only, and reset with the filters and the page: the table is remounted for each view.
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [allMatching, setAllMatching] = useState(false);
  const [period, setPeriod] = useState("");
  const columns = columnsFor(filters);
  // Sorting and paging happen in the database: the table only lays out the page it is given.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8; React Compiler is off
  const table = useReactTable({
    data: rows,
    columns: [SELECT_COLUMN, ...columns],
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    rowCount: total,
    enableRowSelection: true,
    state: {
      columnVisibility,
      rowSelection,
      sorting: [{ id: filters.sort.column, desc: filters.sort.desc }],
    },
    onRowSelectionChange: (updater) => {
      // Unticking a row leaves "every key matching": what remains is this page's choice.
      setAllMatching(false);
      setRowSelection(updater);
    },
    onColumnVisibilityChange: (updater) =>
      setColumnVisibility(typeof updater === "function" ? updater(columnVisibility) : updater),
  });

  const selectedArns = table.getSelectedRowModel().rows.map((row) => row.original.arn);
  const allPageSelected = table.getIsAllPageRowsSelected();
  return (
    <TooltipProvider delayDuration={300}>
      <div className="space-y-2">
        <TableToolbar
          table={table}
          total={total}
          exportHref={exportHref}
          commandsHref={fixCommandsHref(filters)}
          selectedArns={canExcept ? selectedArns : null}
        />
        {selectedArns.length > 0 && (
          <SelectionBar
            selection={
              allMatching && allPageSelected ? { kind: "filter" } : { kind: "keys", arns: selectedArns }
            }
            pageRows={rows.length}
            allPageSelected={allPageSelected}
            total={total}
            filters={filters}
            canPlan={canExcept}
            maxRotationDays={props.maxRotationDays}
            period={period}
            onPeriodChange={setPeriod}
            onSelectAllMatching={() => setAllMatching(true)}
            onClear={() => {
              setAllMatching(false);
              setRowSelection({});
            }}
          />
        )}
        {/* The table's frame scrolls both ways within the screen's height, so that its header row
            stays in sight (sticky) while the rows scroll under it. */}
        <div className="[&>div]:max-h-[calc(100dvh-7rem)] [&>div]:overflow-y-auto">
          <Table caption="Keys and their rotation findings" data-testid="insight-table">
            <TableHeader className="sticky top-0 z-10 bg-muted shadow-[0_1px_0_var(--color-border)]">
              {table.getHeaderGroups().map((group) => (
                <TableRow key={group.id} className="hover:bg-transparent">
                  {group.headers.map((header) => (
                    <SortableHead key={header.id} header={header} filters={filters} />
                  ))}
                </TableRow>
              ))}
            </TableHeader>
            <TableBody>
              {table.getRowModel().rows.map((row) => (
                <TableRow
                  key={row.id}
                  data-key-id={row.original.keyId}
                  data-severity={row.original.severity}
                  data-status={row.original.status.status}
                  data-state={row.getIsSelected() ? "selected" : undefined}
                  data-stale={row.original.stale ? "" : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell
                      key={cell.id}
                      data-column={cell.column.id}
                      className="px-2 py-1 whitespace-nowrap align-middle"
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </div>
    </TooltipProvider>
  );
}

/** A header whose sort control is a real link: the order is part of the URL, like the filters. */
function SortableHead({ header, filters }: { header: Header<DisplayRow, unknown>; filters: InsightFilters }) {
  const id = header.column.id as TableColumnId;
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!sortable(id)) return <TableHead className="px-2">{label}</TableHead>;
  const active = filters.sort.column === id;
  const next = { column: id, desc: active ? !filters.sort.desc : false };
  const href = insightTableHref({ ...filters, sort: next, page: 1 });
  const Icon = !active ? ArrowUpDown : filters.sort.desc ? ArrowDown : ArrowUp;
  return (
    <TableHead
      className="px-2"
      aria-sort={active ? (filters.sort.desc ? "descending" : "ascending") : undefined}
    >
      <Link href={href} scroll={false} className="inline-flex items-center gap-1 hover:text-foreground">
        {label}
        <Icon className={active ? "h-3.5 w-3.5" : "h-3.5 w-3.5 opacity-40"} aria-hidden />
      </Link>
    </TableHead>
  );
}
