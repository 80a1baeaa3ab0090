import Link from "next/link";
import { cn } from "@/lib/utils";
import { EXCEPTION_STATES, exceptionsHref, STATE_LABELS, type ListedState } from "@/lib/exceptions/list";

/** The list's state filter as links: every state but superseded, or one of them. */
export function StateLinks({ current }: { current: ListedState[] }) {
  const choices: [string, ListedState[]][] = [
    ["All", []],
    ...EXCEPTION_STATES.map((s): [string, ListedState[]] => [STATE_LABELS[s], [s]]),
  ];
  return (
    <nav aria-label="Exception states" className="flex flex-wrap gap-2 text-sm">
      {choices.map(([label, states]) => {
        const selected = states.join() === current.join();
        return (
          <Link
            key={label}
            href={exceptionsHref({ states })}
            aria-current={selected ? "page" : undefined}
            className={cn(
              "rounded-md border border-border px-3 py-1.5",
              selected ? "bg-primary text-primary-foreground" : "bg-card hover:bg-muted",
            )}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
