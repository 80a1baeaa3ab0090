import * as React from "react";
import { cn } from "@/lib/utils";

const CAPTIONS = {
  /** The table's heading, shown above it. */
  title: "px-3 pt-4 pb-2 text-left text-base font-semibold",
  /** A line about the table, shown above it. */
  note: "mb-2 text-left text-xs text-muted-foreground",
  /** For screen readers only: the page around the table already says what it is. */
  hidden: "sr-only",
} as const;

export function TableHeader({ className, ...props }: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cn("bg-muted/60 [&_tr]:border-b [&_tr]:border-border", className)} {...props} />;
}

export function TableBody({ className, ...props }: React.HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("[&_tr:last-child]:border-0", className)} {...props} />;
}

export function TableRow({ className, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr className={cn("border-b border-border transition-colors hover:bg-muted/40", className)} {...props} />
  );
}

/** Numbers are right-aligned, header and cells alike, so that their digits line up. */
type Numeric = { numeric?: boolean };

/** A column header. */
export function TableHead({
  className,
  numeric,
  ...props
}: React.ThHTMLAttributes<HTMLTableCellElement> & Numeric) {
  return (
    <th
      scope="col"
      className={cn(
        "h-10 whitespace-nowrap px-3 text-left align-middle text-xs font-medium text-muted-foreground",
        numeric && "text-right",
        className,
      )}
      {...props}
    />
  );
}

/** The first cell of a body row, naming what the row is about. */
export function TableRowHead({ className, ...props }: React.ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="row" className={cn("px-3 py-2 text-left align-top font-normal", className)} {...props} />;
}

export function TableCell({
  className,
  numeric,
  ...props
}: React.TdHTMLAttributes<HTMLTableCellElement> & Numeric) {
  return (
    <td className={cn("px-3 py-2 align-top", numeric && "text-right tabular-nums", className)} {...props} />
  );
}

/** The one row of a table that has no row to show, saying why. */
export function TableEmptyRow({ colSpan, children }: { colSpan: number; children: React.ReactNode }) {
  return (
    <tr>
      <td colSpan={colSpan} className="px-3 py-6 text-center text-muted-foreground">
        {children}
      </td>
    </tr>
  );
}

// Opaque backgrounds, so that the cells scrolling under the first column do not show through it.
const STICKY_FIRST_COLUMN =
  "[&_tr>*:first-child]:sticky [&_tr>*:first-child]:left-0 [&_tr>*:first-child]:z-10 [&_tbody_tr>*:first-child]:bg-card [&_thead_tr>*:first-child]:bg-muted";

type ColumnHeader = string | { label: string; numeric?: boolean };

/** The header row of a table whose columns are plain names, given in order. */
function ColumnsHeader({ columns }: { columns: readonly ColumnHeader[] }) {
  return (
    <TableHeader>
      <tr>
        {columns.map((c) => {
          const { label, numeric } = typeof c === "string" ? { label: c, numeric: false } : c;
          return (
            <TableHead key={label} numeric={numeric}>
              {label}
            </TableHead>
          );
        })}
      </tr>
    </TableHeader>
  );
}

/**
 * Every table of the console. Given `columns`, it writes the header row from their names and the
 * children are the body rows; without, the children are the whole table (a header of its own, with
 * sort links say). It stands on the page in the card's frame; a `bare` one sits inside a card or a
 * section that already frames it. The caption is the table's accessible name. A table wider than the
 * screen scrolls inside its own box; with `stickyFirstColumn` the column naming each row stays in view.
 */
export function Table({
  caption,
  captionLook = "hidden",
  columns,
  bare = false,
  stickyFirstColumn = false,
  className,
  children,
  ...props
}: React.TableHTMLAttributes<HTMLTableElement> & {
  caption?: React.ReactNode;
  captionLook?: keyof typeof CAPTIONS;
  columns?: readonly ColumnHeader[];
  bare?: boolean;
  stickyFirstColumn?: boolean;
}) {
  const captionId = React.useId();
  const named = caption !== undefined;
  return (
    // Focusable, so that a keyboard can scroll a table wider than the screen; named by its caption.
    <div
      role={named ? "region" : undefined}
      aria-labelledby={named ? captionId : undefined}
      tabIndex={0}
      className={cn(
        "relative w-full overflow-x-auto focus-visible:outline-2 focus-visible:outline-primary",
        !bare && "rounded-lg border border-border bg-card shadow-sm",
      )}
    >
      <table className={cn("w-full text-sm", stickyFirstColumn && STICKY_FIRST_COLUMN, className)} {...props}>
        {named && (
          <caption id={captionId} className={CAPTIONS[captionLook]}>
            {caption}
          </caption>
        )}
        {columns ? (
          <>
            <ColumnsHeader columns={columns} />
            <TableBody>{children}</TableBody>
          </>
        ) : (
          children
        )}
      </table>
    </div>
  );
}
