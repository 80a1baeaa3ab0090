import Link from "next/link";
import { Table, TableCell, TableRow, TableRowHead } from "@/components/ui/table";
import type { KeyDetail } from "@/lib/insights/key-detail";
import { insightTableHref } from "@/lib/insights/table-href";
import { SEVERITIES } from "@/lib/insights/types";
import { Section } from "./section";

export function AliasesAndTags({ keyRow }: { keyRow: KeyDetail["key"] }) {
  const tags = [...keyRow.tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return (
    <Section id="aliases-tags-heading" title="Aliases and tags">
      <h3 className="mb-1 text-sm font-medium">Aliases</h3>
      {keyRow.aliases.length === 0 ? (
        <p className="mb-4 text-sm text-muted-foreground">No alias.</p>
      ) : (
        <ul className="mb-4 flex flex-wrap gap-2 text-sm">
          {keyRow.aliases.map((alias) => (
            <li key={alias}>
              <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{alias}</code>
            </li>
          ))}
        </ul>
      )}
      <h3 className="mb-1 text-sm font-medium">Tags</h3>
      {tags.length === 0 ? (
        <p className="text-sm text-muted-foreground">No tag.</p>
      ) : (
        <Table bare caption="Tags of this key" columns={["Key", "Value"]}>
          {tags.map((tag) => (
            <TableRow key={tag.key}>
              <TableRowHead>{tag.key}</TableRowHead>
              <TableCell>
                <Link
                  href={insightTableHref({ severity: SEVERITIES, tag: tag.key, tagValue: tag.value })}
                  className="text-primary underline-offset-4 hover:underline"
                >
                  {tag.value === "" ? <span className="text-muted-foreground">(empty)</span> : tag.value}
                  <span className="sr-only"> (keys with this tag)</span>
                </Link>
              </TableCell>
            </TableRow>
          ))}
        </Table>
      )}
    </Section>
  );
}
