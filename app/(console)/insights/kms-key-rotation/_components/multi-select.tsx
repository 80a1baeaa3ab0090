"use client";

import { ChevronDown } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";
import { KeyCount } from "./key-count";

export interface Option {
  value: string;
  label: string;
}

/** Above this many options the list gets a search box. */
const SEARCHABLE_FROM = 8;

/**
 * A button that opens a checklist. Each toggle applies at once (the URL changes, the list stays
 * open). Chosen values that are no longer offered stay listed, so they can be unchecked. With
 * `counts`, each option says how many keys it would select with the other filters, and one that
 * would select none is disabled (unless chosen, so that it can be unchecked).
 */
export function MultiSelect({
  label,
  options,
  selected,
  onChange,
  disabled,
  hint,
  noneChosen,
  counts,
}: {
  label: string;
  options: Option[];
  selected: string[];
  onChange: (values: string[]) => void;
  disabled?: boolean;
  hint?: string;
  /** What the filter selects while nothing is chosen, when that is not "everything". */
  noneChosen?: string;
  /** Keys per option value (a value absent: none); absent when they could not be counted. */
  counts?: Readonly<Record<string, number>>;
}) {
  const id = useId();
  const [search, setSearch] = useState("");
  const offered = new Set(options.map((o) => o.value));
  const all = [
    ...options,
    ...selected.filter((v) => !offered.has(v)).map((value) => ({ value, label: value })),
  ];
  const needle = search.trim().toLowerCase();
  const shown = needle ? all.filter((o) => o.label.toLowerCase().includes(needle)) : all;
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value));

  return (
    <Popover onOpenChange={(open) => !open && setSearch("")}>
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" disabled={disabled} title={disabled ? hint : undefined}>
          {label}
          {selected.length > 0 && (
            <span className="rounded bg-primary px-1.5 text-xs text-primary-foreground">
              {selected.length}
            </span>
          )}
          {selected.length === 0 && noneChosen && (
            <span className="text-xs font-normal text-muted-foreground">({noneChosen})</span>
          )}
          <ChevronDown className="h-4 w-4 opacity-60" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent aria-label={label}>
        {all.length > SEARCHABLE_FROM && (
          <Input
            type="search"
            aria-label={`Find ${label.toLowerCase()}`}
            placeholder="Find…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className="mb-2 h-8"
          />
        )}
        <ul className="max-h-64 space-y-1 overflow-y-auto">
          {shown.map((option, i) => {
            const chosen = selected.includes(option.value);
            const count = counts ? (counts[option.value] ?? 0) : undefined;
            const empty = count === 0 && !chosen;
            return (
              <li key={option.value} className="flex items-center gap-2 rounded px-1 py-0.5 hover:bg-muted">
                <Checkbox
                  id={`${id}-${i}`}
                  checked={chosen}
                  disabled={empty}
                  aria-describedby={count === undefined ? undefined : `${id}-${i}-count`}
                  onCheckedChange={(checked) => toggle(option.value, checked === true)}
                />
                <label
                  htmlFor={`${id}-${i}`}
                  className={cn(
                    "min-w-0 flex-1 break-words",
                    empty ? "cursor-not-allowed text-muted-foreground" : "cursor-pointer",
                  )}
                >
                  {option.label}
                </label>
                {count !== undefined && <KeyCount id={`${id}-${i}-count`} count={count} />}
              </li>
            );
          })}
          {shown.length === 0 && <li className="px-1 text-muted-foreground">Nothing to choose.</li>}
        </ul>
        {noneChosen && (
          <p className="mt-2 border-t border-border pt-2 text-xs text-muted-foreground">
            None chosen: {noneChosen}.
          </p>
        )}
      </PopoverContent>
    </Popover>
  );
}
