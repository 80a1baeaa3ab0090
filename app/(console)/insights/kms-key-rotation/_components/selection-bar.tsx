"use client";

import { Terminal, Wrench, X } from "lucide-react";
import { ActionMessage } from "@/components/forms/action-message";
import { SubmitButton } from "@/components/forms/submit-button";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { type InsightFilters, toSearchParams } from "@/lib/insight-table/filters";
import { totalText } from "@/lib/insight-table/search-cap";
import { FIX_COMMANDS_PATH, fixCommandsHref } from "@/lib/insight-table/table-href";
import { planFix } from "../../../fixes/actions";
import { PeriodPopover } from "./period-popover";

const keys = (n: number, capped = false) => `${totalText(n, capped)} ${n === 1 && !capped ? "key" : "keys"}`;

/** What is selected: keys of this page by ARN, or every key the filters match. */
export type Selection = { kind: "keys"; arns: string[] } | { kind: "filter" };

/**
 * The bar over the table while keys are selected: how many, the offer to select every key the
 * filters match (Gmail-style), the CLI commands for them and, for analysts and admins, a fix plan.
 */
export function SelectionBar(props: {
  selection: Selection;
  pageRows: number;
  allPageSelected: boolean;
  total: number;
  /** A capped search's: `total` is a lower bound ("more than …"). */
  capped: boolean;
  filters: InsightFilters;
  canPlan: boolean;
  maxRotationDays: number;
  period: string;
  onPeriodChange: (period: string) => void;
  onSelectAllMatching: () => void;
  onClear: () => void;
}) {
  const { selection, total, capped, filters, period } = props;
  const selected = selection.kind === "filter" ? total : selection.arns.length;
  const selectedCapped = selection.kind === "filter" && capped;
  return (
    <div
      role="region"
      aria-label="Selected keys"
      data-testid="selection-bar"
      className="space-y-2 rounded-md border border-primary/40 bg-primary/5 px-3 py-2 text-sm"
    >
      <div className="flex flex-wrap items-center gap-2">
        <p className="mr-auto font-medium" aria-live="polite">
          {keys(selected, selectedCapped)} selected
        </p>
        <PeriodPopover max={props.maxRotationDays} value={period} onChange={props.onPeriodChange} />
        <CommandsButton selection={selection} filters={filters} period={period} />
        {props.canPlan && <PlanFixForm selection={selection} filters={filters} period={period} />}
        <Button type="button" variant="ghost" size="sm" onClick={props.onClear}>
          <X className="h-4 w-4" aria-hidden />
          Clear selection
        </Button>
      </div>
      {props.allPageSelected && total > props.pageRows && (
        <p className="text-muted-foreground">
          {selection.kind === "filter" ? (
            <>
              {capped
                ? `Every key matching the filters is selected (${totalText(total, capped)}).`
                : `All ${keys(total)} matching the filters are selected.`}
            </>
          ) : (
            <>
              All {keys(props.pageRows)} on this page are selected.{" "}
              <button
                type="button"
                onClick={props.onSelectAllMatching}
                className="font-medium text-primary underline-offset-2 hover:underline focus-visible:underline"
              >
                {capped
                  ? `Select every key matching the filters (${totalText(total, capped)})`
                  : `Select all ${keys(total)} matching the filters`}
              </button>
            </>
          )}
        </p>
      )}
    </div>
  );
}

/** Downloads the script: a link for the filter's keys, a form POST for a page's (URLs are short). */
function CommandsButton({
  selection,
  filters,
  period,
}: {
  selection: Selection;
  filters: InsightFilters;
  period: string;
}) {
  const label = (
    <>
      <Terminal className="h-4 w-4" aria-hidden />
      CLI commands
    </>
  );
  if (selection.kind === "filter") {
    return (
      <Button asChild variant="outline" size="sm">
        <a href={fixCommandsHref(filters, period)} download>
          {label}
        </a>
      </Button>
    );
  }
  return (
    <form method="post" action={FIX_COMMANDS_PATH}>
      {selection.arns.map((arn) => (
        <input key={arn} type="hidden" name="key" value={arn} />
      ))}
      {period && <input type="hidden" name="period" value={period} />}
      <Button type="submit" variant="outline" size="sm">
        {label}
      </Button>
    </form>
  );
}

/** Plans a fix of the selection (the fix plans' server action): it opens the plan when made. */
function PlanFixForm({
  selection,
  filters,
  period,
}: {
  selection: Selection;
  filters: InsightFilters;
  period: string;
}) {
  const { result, pending, formProps } = useActionForm(planFix);
  return (
    <form {...formProps} className="flex flex-wrap items-center gap-2" aria-label="Plan a fix">
      <input type="hidden" name="selection" value={selection.kind} />
      {selection.kind === "keys" ? (
        selection.arns.map((arn) => <input key={arn} type="hidden" name="key" value={arn} />)
      ) : (
        <input type="hidden" name="filter" value={toSearchParams(filters).toString()} />
      )}
      <input type="hidden" name="period" value={period} />
      <SubmitButton pending={pending} size="sm">
        <Wrench className="h-4 w-4" aria-hidden />
        Plan a fix
      </SubmitButton>
      <ActionMessage result={result} />
    </form>
  );
}
