import type { ReactNode } from "react";

export interface Fact {
  term: string;
  value: ReactNode;
}

/** Term and value pairs; an empty value reads "none" instead of leaving a gap. */
export function FactList({ facts }: { facts: Fact[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {facts.map(({ term, value }) => (
        <div key={term} className="contents">
          <dt className="text-muted-foreground">{term}</dt>
          <dd className="break-words">
            {value === null || value === undefined || value === "" ? (
              <span className="text-muted-foreground">none</span>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
