import Link from "next/link";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import { keyHref } from "@/lib/insight-table/table-href";
import { FactList } from "./fact-list";
import { Section } from "./section";

export function MultiRegionSection({ detail }: { detail: KeyDetail }) {
  const { key: k, primary } = detail;
  if (!k.multiRegion && !primary) return null;
  return (
    <Section id="multi-region-heading" title="Multi-Region">
      <FactList
        facts={[
          { term: "Multi-Region key type", value: k.multiRegionType?.toLowerCase() ?? "multi-Region" },
          ...(primary
            ? [
                {
                  term: "Primary key",
                  value: (
                    <>
                      {primary.id ? (
                        <Link
                          href={keyHref(primary.id)}
                          className="text-primary underline-offset-4 hover:underline"
                        >
                          <code className="text-xs">{primary.arn}</code>
                          <span className="sr-only"> (open the primary key)</span>
                        </Link>
                      ) : (
                        <code className="text-xs">{primary.arn}</code>
                      )}
                      {primary.gone && <span className="ml-2 text-muted-foreground">(no longer listed)</span>}
                      {!primary.id && (
                        <span className="block text-xs text-muted-foreground">
                          Not collected here: its account or region is not scanned, or not visible to you.
                        </span>
                      )}
                    </>
                  ),
                },
                { term: "Primary region", value: primary.region },
              ]
            : []),
        ]}
      />
      {k.multiRegionType === "PRIMARY" && (
        <p className="mt-2 text-xs text-muted-foreground">
          Replicas share this key&apos;s rotation: rotating the primary rotates them.
        </p>
      )}
    </Section>
  );
}
