import { SeverityBadge } from "@/components/insights/severity-badge";
import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import { reasonLabel } from "@/lib/verdict/types";
import { FactList } from "./fact-list";
import { Section } from "./section";

export function FindingSection({ keyRow }: { keyRow: KeyDetail["key"] }) {
  return (
    <Section id="finding-heading" title="Finding">
      <p className="mb-3 flex flex-wrap items-center gap-2">
        <SeverityBadge severity={keyRow.severity} />
        <span className="font-medium" title={keyRow.reason}>
          {reasonLabel(keyRow.reason)}
        </span>
      </p>
      <p className="mb-3" data-testid="finding-description">
        {keyRow.findingDescription}
      </p>
      <FactList
        facts={[
          { term: "Evaluated", value: formatUtcMinute(keyRow.evaluatedAt) },
          ...(keyRow.rotationError ? [{ term: "Rotation status error", value: keyRow.rotationError }] : []),
          ...(keyRow.collectError ? [{ term: "Read errors", value: keyRow.collectError }] : []),
        ]}
      />
    </Section>
  );
}
