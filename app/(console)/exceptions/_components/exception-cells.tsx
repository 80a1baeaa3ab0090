import { Badge } from "@/components/ui/badge";
import { ExternalLink } from "@/components/ui/external-link";
import { STATE_LABELS, type ExceptionState } from "@/lib/exceptions/list";

/** An exception's state as a badge; ended ones are muted. */
export function StateBadge({ state }: { state: ExceptionState }) {
  const variant =
    state === "active" ? "default" : state === "pending" || state === "expiring" ? "outline" : "secondary";
  return (
    <Badge variant={variant} data-state={state}>
      {STATE_LABELS[state]}
    </Badge>
  );
}

/** The day an exception ends (it ends at 00:00 UTC that day). */
export const expiryDay = (at: Date) => at.toISOString().slice(0, 10);

export function TicketLink({ url }: { url: string | null }) {
  return url ? (
    <ExternalLink href={url}>{url}</ExternalLink>
  ) : (
    <span className="text-muted-foreground">none</span>
  );
}
