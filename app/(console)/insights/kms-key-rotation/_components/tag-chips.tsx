"use client";

import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";

const SHOWN = 2;
const chip = "inline-block max-w-36 truncate rounded border border-border bg-muted px-1.5 py-0.5 text-xs";
const pair = (tag: { key: string; value: string }) => `${tag.key}=${tag.value}`;

/** At most two tags as chips, then "+N": every tag in its tooltip, on hover and on keyboard focus. */
export function TagChips({ tags }: { tags: { key: string; value: string }[] }) {
  if (tags.length === 0) return null;
  const more = tags.length - SHOWN;
  return (
    <span className="flex items-center gap-1">
      {tags.slice(0, SHOWN).map((tag) => (
        <span key={tag.key} className={chip} title={pair(tag)}>
          {pair(tag)}
        </span>
      ))}
      {more > 0 && (
        <Tooltip>
          <TooltipTrigger asChild>
            <button type="button" className={`${chip} cursor-default font-medium`}>
              +{more}
              <span className="sr-only"> more tags</span>
            </button>
          </TooltipTrigger>
          <TooltipContent>
            <ul>
              {tags.map((tag) => (
                <li key={tag.key}>{pair(tag)}</li>
              ))}
            </ul>
          </TooltipContent>
        </Tooltip>
      )}
    </span>
  );
}
