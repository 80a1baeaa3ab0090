"use client";

import { ActionMessage } from "@/components/forms/action-message";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableCell, TableEmptyRow, TableRow, TableRowHead } from "@/components/ui/table";
import { loadKeyHistoryAction } from "../actions";

export interface ChangeRow {
  id: string;
  time: string;
  iso: string;
  what: string;
  who: string;
  from: string;
  region: string;
}

const COLUMNS = ["Time", "Event", "Principal", "Source address", "Region"];

/**
 * The cached changes and the button that loads them (or refreshes them). The page never asks AWS
 * itself: only the button does, through the server action.
 */
export function ChangeHistory({
  keyId,
  rows,
  fetchedAt,
  storedError,
}: {
  keyId: string;
  rows: ChangeRow[];
  fetchedAt: string | null;
  storedError: string | null;
}) {
  const { result, pending, formProps } = useActionForm(loadKeyHistoryAction);
  const loaded = fetchedAt !== null;
  return (
    <div className="grid gap-3" aria-busy={pending}>
      <form
        {...formProps}
        className="flex flex-wrap items-center gap-x-3 gap-y-2"
        aria-label="CloudTrail history"
      >
        <input type="hidden" name="keyId" value={keyId} />
        {loaded && <input type="hidden" name="refresh" value="1" />}
        <p className="text-sm text-muted-foreground">
          {loaded
            ? `Fetched ${fetchedAt} from CloudTrail (the last 90 days).`
            : "Who turned rotation off, disabled or scheduled this key for deletion: CloudTrail keeps 90 days."}
        </p>
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          {pending ? "Loading…" : loaded ? "Refresh" : "Load history from CloudTrail"}
        </Button>
      </form>
      {result.message ? (
        <ActionMessage result={result} />
      ) : (
        storedError && <Alert tone="error">{storedError}</Alert>
      )}
      {loaded && (
        <Table
          bare
          caption="Changes to this key recorded by CloudTrail, newest first."
          captionLook="note"
          columns={COLUMNS}
          data-testid="key-changes"
        >
          {rows.length === 0 ? (
            <TableEmptyRow colSpan={COLUMNS.length}>
              CloudTrail recorded no change to this key in 90 days.
            </TableEmptyRow>
          ) : (
            rows.map((row) => (
              <TableRow key={row.id}>
                <TableRowHead className="whitespace-nowrap">
                  <time dateTime={row.iso}>{row.time}</time>
                </TableRowHead>
                <TableCell>{row.what}</TableCell>
                <TableCell className="min-w-48 break-all font-mono text-xs">{row.who}</TableCell>
                <TableCell className="whitespace-nowrap font-mono text-xs">{row.from}</TableCell>
                <TableCell className="whitespace-nowrap">{row.region}</TableCell>
              </TableRow>
            ))
          )}
        </Table>
      )}
    </div>
  );
}
