/** How many keys a filter option would select, beside the option (its description for a screen reader). */
export function KeyCount({ id, count }: { id: string; count: number }) {
  return (
    <span id={id} className="shrink-0 text-xs text-muted-foreground tabular-nums">
      <span className="sr-only">{count === 1 ? "1 key" : `${count.toLocaleString("en-US")} keys`}</span>
      <span aria-hidden>{count.toLocaleString("en-US")}</span>
    </span>
  );
}
