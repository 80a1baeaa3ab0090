"use client";

import { ExternalLink } from "@/components/ui/external-link";
import { Table, TableCell, TableRow } from "@/components/ui/table";
import type { ComplianceMappingRow } from "@/lib/verdict/compliance-mappings";

// A client component for its markup's sake: the page sends the rows' data, not their elements too.

/** The frameworks this check maps to. */
export function ComplianceTable({ rows }: { rows: ComplianceMappingRow[] }) {
  return (
    <section aria-labelledby="compliance-heading" className="space-y-3">
      <h2 id="compliance-heading" className="text-lg font-semibold">
        Compliance mapping
      </h2>
      <Table columns={["Compliance", "Reference No.", "Link"]}>
        {rows.map((row) => (
          <TableRow key={row.id}>
            <TableCell>
              {row.name}
              {row.version && <span className="text-muted-foreground"> ({row.version})</span>}
            </TableCell>
            <TableCell>{row.references.join(", ")}</TableCell>
            <TableCell className="break-all">
              {row.link && <ExternalLink href={row.link}>{row.link}</ExternalLink>}
            </TableCell>
          </TableRow>
        ))}
      </Table>
    </section>
  );
}
