"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type Header,
  type Row,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { SeverityBadge } from "@/components/insights/severity-badge";
import { OverdueBadge, StatusBadge } from "@/components/insights/status-badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TooltipProvider } from "@/components/ui/tooltip";
import { useHydrated } from "@/components/ui/use-hydrated";
import { type InsightFilters, SORTABLE_COLUMNS, type SortableColumnId } from "@/lib/insight-table/filters";
import { TABLE_COLUMNS, type TableColumnId } from "@/lib/insight-table/screen-columns";
import { fixCommandsHref, insightTableHref, keyHref } from "@/lib/insight-table/table-href";
import { cn } from "@/lib/utils";
import {
  cellText,
  cellTitle,
  type DisplayRow,
  type PackedRows,
  rowArn,
  rowKeyId,
  unpackRows,
} from "@/lib/insight-table/display-row";
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
    accessorFn: (row) => cellText(row, id),
    enableSorting: sortable(id),
    enableHiding: id !== "key", // the link to the key's page
    cell: ({ row }) => {
      const r = row.original;
      switch (id) {
        case "severity":
          return <SeverityBadge severity={r.severity} />;
        case "status":
          return <StatusCell row={r} />;
        case "tags":
          return <TagChips tags={r.tags.map(([key, value]) => ({ key, value }))} />;
        case "key": {
          const key = cellText(r, "key");
          return (
            <span className="flex items-center gap-1.5">
              <Link
                href={keyHref(r.id, filters)}
                title={cellTitle(r, "key")}
                className={cn(
                  "truncate text-primary hover:underline",
                  WIDTHS.key,
                  key === rowKeyId(r) && "font-mono text-xs",
                )}
              >
                {key}
              </Link>
              {r.stale && <StaleMark text={r.stale} />}
            </span>
          );
        }
        default: {
          const width = WIDTHS[id];
          const text = cellText(r, id);
          const title = cellTitle(r, id);
          if (width)
            return (
              <div className={cn("truncate", width)} title={title ?? text}>
                {text}
              </div>
            );
          // A short cell is its text alone (an element around it is 13 bytes a cell, 50 rows a page).
          return title ? <span title={title}>{text}</span> : text;
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
  cell: ({ row }) => <RowCheckbox row={row} />,
};

/**
 * A row's checkbox, once the page is interactive: until then (and without JavaScript) it could do
 * nothing, so the server sends a box of its size rather than 50 checkboxes' markup.
 */
function RowCheckbox({ row }: { row: Row<DisplayRow> }) {
  const hydrated = useHydrated();
  if (!hydrated) return <span className="block h-4 w-4" />;
  return (
    <Checkbox
      aria-label={`Select key ${cellText(row.original, "key")}`}
      checked={row.getIsSelected()}
      onCheckedChange={(checked) => row.toggleSelected(checked === true)}
    />
  );
}

/** The status badge, Overdue beside it, then one short note; an exception's whole text as the tooltip. */
function StatusCell({ row }: { row: DisplayRow }) {
  return (
    <div className="flex max-w-72 items-center gap-1" title={row.detail || row.note || undefined}>
      <StatusBadge status={row.status} />
      {row.overdue && <OverdueBadge />}
      {row.note && <span className="truncate text-xs text-muted-foreground">{row.note}</span>}
      {row.status === "excepted" && row.detail && (
        // The justification, owner and expiry for screen readers and copy; sighted users hover.
        <span className="sr-only">{row.detail}</span>
      )}
    </div>
  );
}

export function InsightDataTable(props: {
  /** The page's rows, each distinct cell text sent once. */
  rows: PackedRows;
  filters: InsightFilters;
  total: number;
  /** A capped search's: `total` is a lower bound ("more than …"). */
  capped: boolean;
  exportHref: string;
  /** Admins and analysts: selected keys can be excepted or planned for a fix. */
  canExcept: boolean;
  maxRotationDays: number;
}) {
  const { filters, total, exportHref, canExcept } = props;
  const rows = useMemo(() => unpackRows(props.rows), [props.rows]);
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

  const selectedArns = table.getSelectedRowModel().rows.map((row) => rowArn(row.original));
  const allPageSelected = table.getIsAllPageRowsSelected();
  return (
    <TooltipProvider delayDuration={300}>
      <div className="space-y-2">
        <TableToolbar
          table={table}
          total={total}
          capped={props.capped}
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
            capped={props.capped}
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
            {/* The rows' and cells' look is said once here, not 50 times in the page's HTML. */}
            <TableBody className="[&>tr]:border-b [&>tr]:border-border [&>tr]:transition-colors [&>tr:hover]:bg-muted/40 [&_td]:px-2 [&_td]:py-1 [&_td]:whitespace-nowrap [&_td]:align-middle">
              {table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  data-key-id={rowKeyId(row.original)}
                  data-severity={row.original.severity}
                  data-status={row.original.status}
                  data-state={row.getIsSelected() ? "selected" : undefined}
                  data-stale={row.original.stale ? "" : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} data-column={cell.column.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
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
