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
import { INSIGHT_COLUMNS, type InsightColumnId } from "@/lib/insight-table/columns";
import { type InsightFilters, SORTABLE_COLUMNS, type SortableColumnId } from "@/lib/insight-table/filters";
import { insightTableHref, keyHref } from "@/lib/insight-table/table-href";
import type { DisplayRow } from "./display-row";
import { TableToolbar } from "./table-toolbar";
import { useColumnVisibility } from "./use-column-visibility";

const WIDE: InsightColumnId[] = ["aliases", "tags", "description", "arn"];
const sortable = (id: InsightColumnId): id is SortableColumnId => (SORTABLE_COLUMNS as string[]).includes(id);

const COLUMNS: ColumnDef<DisplayRow>[] = INSIGHT_COLUMNS.map(({ id, header }) => ({
  id,
  header,
  accessorFn: (row) => row.cells[id],
  enableSorting: sortable(id),
  enableHiding: id !== "keyId", // the link to the key's page
  cell: ({ row }) => {
    if (id === "severity") return <SeverityBadge severity={row.original.severity} />;
    if (id === "status") return <StatusCell status={row.original.status} />;
    if (id === "keyId") {
      return (
        <Link href={keyHref(row.original.id)} className="font-mono text-xs text-primary hover:underline">
          {row.original.cells.keyId}
        </Link>
      );
    }
    const text = row.original.cells[id];
    // Long lists and sentences stay three lines high; the whole text is in the tooltip and the CSV.
    return WIDE.includes(id) ? (
      <div className="line-clamp-3" title={text}>
        {text}
      </div>
    ) : (
      text
    );
  },
}));

/** The checkboxes of rows chosen for a new exception (this page's rows only: a page is a view). */
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
      aria-label={`Select key ${row.original.cells.keyId}`}
      checked={row.getIsSelected()}
      onCheckedChange={(checked) => row.toggleSelected(checked === true)}
    />
  ),
};

/** The status badge, Overdue beside it, and one line under it; an exception's whole text as the tooltip. */
function StatusCell({ status }: { status: DisplayRow["status"] }) {
  return (
    <div className="space-y-0.5" title={status.detail || undefined}>
      <div className="flex items-center gap-1">
        <StatusBadge status={status.status} />
        {status.overdue && <OverdueBadge />}
      </div>
      {status.note && <p className="text-xs text-muted-foreground">{status.note}</p>}
      {status.status === "excepted" && status.detail && (
        // The justification, owner and expiry for screen readers and copy; sighted users hover.
        <p className="sr-only">{status.detail}</p>
      )}
    </div>
  );
}

export function InsightDataTable(props: {
  rows: DisplayRow[];
  filters: InsightFilters;
  total: number;
  exportHref: string;
  canExcept: boolean;
}) {
  const { rows, filters, total, exportHref, canExcept } = props;
  const [columnVisibility, setColumnVisibility] = useColumnVisibility();
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  // Sorting and paging happen in the database: the table only lays out the page it is given.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8; React Compiler is off
  const table = useReactTable({
    data: rows,
    columns: canExcept ? [SELECT_COLUMN, ...COLUMNS] : COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    rowCount: total,
    enableRowSelection: canExcept,
    state: {
      columnVisibility,
      rowSelection,
      sorting: [{ id: filters.sort.column, desc: filters.sort.desc }],
    },
    onRowSelectionChange: setRowSelection,
    onColumnVisibilityChange: (updater) =>
      setColumnVisibility(typeof updater === "function" ? updater(columnVisibility) : updater),
  });

  return (
    <div className="space-y-3">
      <TableToolbar
        table={table}
        total={total}
        exportHref={exportHref}
        selectedArns={canExcept ? table.getSelectedRowModel().rows.map((row) => row.original.arn) : null}
      />
      <Table>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
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
              data-severity={row.original.severity}
              data-status={row.original.status.status}
              data-state={row.getIsSelected() ? "selected" : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <TableCell
                  key={cell.id}
                  data-column={cell.column.id}
                  className={
                    WIDE.includes(cell.column.id as InsightColumnId)
                      ? "min-w-48 max-w-sm break-words"
                      : cell.column.id === "status"
                        ? "min-w-28 max-w-56"
                        : "whitespace-nowrap"
                  }
                >
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/** A header whose sort control is a real link: the order is part of the URL, like the filters. */
function SortableHead({ header, filters }: { header: Header<DisplayRow, unknown>; filters: InsightFilters }) {
  const id = header.column.id as InsightColumnId;
  const label = flexRender(header.column.columnDef.header, header.getContext());
  if (!sortable(id)) return <TableHead>{label}</TableHead>;
  const active = filters.sort.column === id;
  const next = { column: id, desc: active ? !filters.sort.desc : false };
  const href = insightTableHref({ ...filters, sort: next, page: 1 });
  const Icon = !active ? ArrowUpDown : filters.sort.desc ? ArrowDown : ArrowUp;
  return (
    <TableHead aria-sort={active ? (filters.sort.desc ? "descending" : "ascending") : undefined}>
      <Link href={href} scroll={false} className="inline-flex items-center gap-1 hover:text-foreground">
        {label}
        <Icon className={active ? "h-3.5 w-3.5" : "h-3.5 w-3.5 opacity-40"} aria-hidden />
      </Link>
    </TableHead>
  );
}
