"use client";

import { ChevronDown } from "lucide-react";
import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";
import { KeyCount } from "./key-count";

/**
 * The tag key filter: a button that opens a searchable list of the tag keys, each with the number
 * of keys that carry it under the other filters; one that none does is disabled, unless chosen.
 * Type to narrow the list, then the arrow keys (or Tab) and Enter to choose.
 */
export function TagKeyPicker({
  tagKeys,
  selected,
  counts,
  onChange,
}: {
  tagKeys: string[];
  selected: string | null;
  /** Keys per tag key (a tag key absent: none); absent when they could not be counted. */
  counts?: Readonly<Record<string, number>>;
  onChange: (tag: string | null) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const list = useRef<HTMLUListElement>(null);
  const all = selected === null || tagKeys.includes(selected) ? tagKeys : [selected, ...tagKeys];
  const needle = search.trim().toLowerCase();
  const shown = needle ? all.filter((key) => key.toLowerCase().includes(needle)) : all;

  function choose(tag: string | null) {
    setOpen(false);
    setSearch("");
    if (tag !== selected) onChange(tag);
  }

  /** Up and down move between the enabled choices; up from the first goes back to the search box. */
  function moveFocus(e: KeyboardEvent, from: "search" | "list") {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>("button:not(:disabled)") ?? [])];
    if (from === "search") {
      buttons[e.key === "ArrowDown" ? 0 : buttons.length - 1]?.focus();
      return;
    }
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = at + (e.key === "ArrowDown" ? 1 : -1);
    if (next < 0) document.getElementById(`${id}-search`)?.focus();
    else buttons[Math.min(next, buttons.length - 1)]?.focus();
  }

  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setSearch("");
      }}
    >
      <PopoverTrigger asChild>
        <Button variant="outline" size="sm" className="max-w-64">
          <span className="truncate">
            Tag key{selected !== null && <span className="font-normal">: {selected}</span>}
          </span>
          <ChevronDown className="h-4 w-4 opacity-60" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent aria-label="Tag key" className="w-72">
        <Input
          id={`${id}-search`}
          type="search"
          aria-label="Find a tag key"
          placeholder="Find a tag key…"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => moveFocus(e, "search")}
          className="mb-2 h-8"
        />
        <ul
          ref={list}
          className="max-h-64 space-y-0.5 overflow-y-auto"
          onKeyDown={(e) => moveFocus(e, "list")}
        >
          {!needle && (
            <li>
              <Choice label="Any tag" chosen={selected === null} onClick={() => choose(null)} />
            </li>
          )}
          {shown.map((key, i) => {
            const count = counts ? (counts[key] ?? 0) : undefined;
            return (
              <li key={key}>
                <Choice
                  label={key}
                  chosen={key === selected}
                  disabled={count === 0 && key !== selected}
                  describedBy={count === undefined ? undefined : `${id}-${i}-count`}
                  onClick={() => choose(key)}
                >
                  {count !== undefined && <KeyCount id={`${id}-${i}-count`} count={count} />}
                </Choice>
              </li>
            );
          })}
          {shown.length === 0 && <li className="px-2 text-muted-foreground">No tag key matches.</li>}
        </ul>
      </PopoverContent>
    </Popover>
  );
}

function Choice({
  label,
  chosen,
  disabled,
  describedBy,
  onClick,
  children,
}: {
  label: string;
  chosen: boolean;
  disabled?: boolean;
  describedBy?: string;
  onClick: () => void;
  children?: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-describedby={describedBy}
      aria-pressed={chosen}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "flex w-full items-center gap-2 rounded px-2 py-1 text-left hover:bg-muted focus-visible:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/50",
        chosen && "font-medium text-primary",
        disabled && "cursor-not-allowed text-muted-foreground hover:bg-transparent",
      )}
    >
      <span className="min-w-0 flex-1 break-words">{label}</span>
      {children}
    </button>
  );
}
