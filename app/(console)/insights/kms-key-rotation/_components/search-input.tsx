"use client";

import { useEffect, useRef, useState } from "react";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

const DEBOUNCE_MS = 300;

/** The text search, applied 300 ms after the last keystroke rather than on each one. */
export function SearchInput({
  value,
  onSearch,
}: {
  value: string | null;
  onSearch: (q: string | null) => void;
}) {
  const [text, setText] = useState(value ?? "");
  const [typing, setTyping] = useState(false);
  const [applied, setApplied] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // The timer calls the latest onSearch: it navigates from the filters as they are then.
  const latestOnSearch = useRef(onSearch);
  useEffect(() => {
    latestOnSearch.current = onSearch;
  });
  // The URL changed under us (back button, "Clear all"): show its search, unless the user is
  // still typing a newer one.
  if (value !== applied) {
    setApplied(value);
    if (!typing) setText(value ?? "");
  }
  useEffect(() => () => clearTimeout(timer.current), []);

  function change(next: string) {
    setText(next);
    setTyping(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setTyping(false);
      latestOnSearch.current(next.trim() || null);
    }, DEBOUNCE_MS);
  }

  return (
    <FormField id="insight-search" label="Search" className="min-w-56">
      {(control) => (
        <Input
          {...control}
          type="search"
          placeholder="Id, alias, tag value…"
          title="Key id, alias, ARN, description or tag value"
          maxLength={256}
          className="h-8"
          value={text}
          onChange={(e) => change(e.target.value)}
        />
      )}
    </FormField>
  );
}
