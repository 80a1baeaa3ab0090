import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import type { ControlShare } from "@/lib/verdict/compliance-shares";
import type { FrameworkStatus } from "@/lib/verdict/compliance-status";
import { ShareText } from "./share-text";
import { insightTableHref } from "@/lib/insight-table/table-href";
import { cn } from "@/lib/utils";

const HEADERS = [
  "Framework",
  "Reference No.",
  "Status",
  "Keys passing",
  { label: "Affected keys", numeric: true },
  "Link",
] as const;
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
  share,
}: {
  caption: string;
  frameworks: FrameworkStatus[];
  evaluated: boolean;
  /** The user's keys against the control (the same for every framework: one check). */
  share: ControlShare;
}) {
  return (
    <Table caption={caption} captionLook="title" columns={HEADERS}>
      {frameworks.map((f) => {
        const title = f.version ? `${f.name} ${f.version}` : f.name;
        return (
          <TableRow key={f.id} data-framework={f.id}>
            <TableRowHead className="font-medium">
              {f.name}
              {f.version && (
                <span className="block text-xs font-normal text-muted-foreground">{f.version}</span>
              )}
            </TableRowHead>
            <TableCell>{f.references.join(", ")}</TableCell>
            <TableCell>
              {evaluated ? (
                <Badge
                  className={cn(
                    "border-transparent",
                    f.status === "pass" ? "bg-ok text-ok-foreground" : "bg-critical text-critical-foreground",
                  )}
                >
                  {f.status}
                </Badge>
              ) : (
                <span className="text-muted-foreground">no keys yet</span>
              )}
            </TableCell>
            <TableCell>
              <ShareText share={share} />
            </TableCell>
            <TableCell numeric>
              <Link href={FAILING_KEYS_HREF} className="text-primary underline-offset-4 hover:underline">
                {f.affectedKeys}
                <span className="sr-only"> keys fail {title}</span>
              </Link>
            </TableCell>
            <TableCell>
              {f.link && (
                <a href={f.link} rel="noreferrer" className="text-primary underline-offset-4 hover:underline">
                  {hostOf(f.link)}
                  <span className="sr-only"> ({title})</span>
                </a>
              )}
            </TableCell>
          </TableRow>
        );
      })}
    </Table>
  );
}
