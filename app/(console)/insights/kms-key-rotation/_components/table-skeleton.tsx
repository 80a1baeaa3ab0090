/** Shown while the page of keys loads. */
export function TableSkeleton() {
  return (
    <div aria-busy="true" className="space-y-2">
      <p className="text-sm text-muted-foreground">Loading keys…</p>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="h-8 animate-pulse rounded bg-muted" />
      ))}
    </div>
  );
}
