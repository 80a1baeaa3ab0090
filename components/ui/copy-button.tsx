"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "./button";

const SHOWN_MS = 2000;

/**
 * Copies `value`; "Copied" (or why not) is announced by a live region beside the button. An icon
 * with `label` as its name, or with `label` written out when `showLabel`.
 */
export function CopyButton({
  value,
  label,
  showLabel = false,
}: {
  value: string;
  label: string;
  showLabel?: boolean;
}) {
  const [status, setStatus] = useState("");
  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(""), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [status]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied");
    } catch {
      // No clipboard outside a secure context (plain http on another host), or permission refused.
      setStatus("Could not copy: select the text instead");
    }
  }

  return (
    <span className="inline-flex items-center gap-1 align-middle">
      <Button
        type="button"
        variant={showLabel ? "outline" : "ghost"}
        size="sm"
        className={showLabel ? undefined : "h-7 px-1.5"}
        aria-label={showLabel ? undefined : label}
        title={showLabel ? undefined : label}
        onClick={copy}
      >
        {status === "Copied" ? (
          <Check className="h-3.5 w-3.5" aria-hidden />
        ) : (
          <Copy className="h-3.5 w-3.5" aria-hidden />
        )}
        {showLabel && label}
      </Button>
      <span role="status" aria-live="polite" className="text-xs text-muted-foreground">
        {status}
      </span>
    </span>
  );
}
