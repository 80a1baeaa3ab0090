"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Header,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { SeverityBadge } from "@/components/insights/severity-badge";
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

export function InsightDataTable(props: {
  rows: DisplayRow[];
  filters: InsightFilters;
  total: number;
  exportHref: string;
}) {
  const { rows, filters, total, exportHref } = props;
  const [columnVisibility, setColumnVisibility] = useColumnVisibility();
  // Sorting and paging happen in the database: the table only lays out the page it is given.
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table v8; React Compiler is off
  const table = useReactTable({
    data: rows,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    rowCount: total,
    state: { columnVisibility, sorting: [{ id: filters.sort.column, desc: filters.sort.desc }] },
    onColumnVisibilityChange: (updater) =>
      setColumnVisibility(typeof updater === "function" ? updater(columnVisibility) : updater),
  });

  return (
    <div className="space-y-3">
      <TableToolbar table={table} total={total} exportHref={exportHref} />
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
            <TableRow key={row.id} data-severity={row.original.severity}>
              {row.getVisibleCells().map((cell) => (
                <TableCell
                  key={cell.id}
                  data-column={cell.column.id}
                  className={
                    WIDE.includes(cell.column.id as InsightColumnId)
                      ? "min-w-48 max-w-sm break-words"
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
