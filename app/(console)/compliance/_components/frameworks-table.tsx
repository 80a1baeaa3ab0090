import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { FrameworkStatus } from "@/lib/verdict/compliance-status";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { cn } from "@/lib/utils";

const FAILING_KEYS_HREF = insightTableHref({ severities: ["CRITICAL", "WARNING"] });

function hostOf(link: string): string {
  try {
    return new URL(link).hostname;
  } catch {
    return link;
  }
}

/** One row per framework version: its references, pass or fail, and the keys that fail it. */
export function FrameworksTable({
  caption,
  frameworks,
  evaluated,
}: {
  caption: string;
  frameworks: FrameworkStatus[];
  evaluated: boolean;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-white shadow-sm">
      <table className="w-full text-sm">
        <caption className="px-4 pt-4 pb-2 text-left text-base font-semibold">{caption}</caption>
        <thead className="text-left text-xs text-muted-foreground">
          <tr className="border-b border-border">
            <th scope="col" className="px-4 py-2 font-medium">
              Framework
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Reference No.
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Affected keys
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Link
            </th>
          </tr>
        </thead>
        <tbody>
          {frameworks.map((f) => {
            const title = f.version ? `${f.name} ${f.version}` : f.name;
            return (
              <tr key={f.id} className="border-b border-border last:border-0" data-framework={f.id}>
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  {f.name}
                  {f.version && (
                    <span className="block text-xs font-normal text-muted-foreground">{f.version}</span>
                  )}
                </th>
                <td className="px-4 py-2">{f.references.join(", ")}</td>
                <td className="px-4 py-2">
                  {evaluated ? (
                    <Badge
                      className={cn(
                        "border-transparent text-white",
                        f.status === "pass" ? "bg-ok" : "bg-critical",
                      )}
                    >
                      {f.status}
                    </Badge>
                  ) : (
                    <span className="text-muted-foreground">no keys yet</span>
                  )}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">
                  <Link href={FAILING_KEYS_HREF} className="text-primary underline-offset-4 hover:underline">
                    {f.affectedKeys}
                    <span className="sr-only"> keys fail {title}</span>
                  </Link>
                </td>
                <td className="px-4 py-2">
                  {f.link && (
                    <a
                      href={f.link}
                      rel="noreferrer"
                      className="text-primary underline-offset-4 hover:underline"
                    >
                      {hostOf(f.link)}
                      <span className="sr-only"> ({title})</span>
                    </a>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
