import { formatUtcMinute } from "@/lib/insight-table/display-dates";
import { isoDate } from "@/lib/verdict/dates";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import { FactList } from "./fact-list";
import { Section } from "./section";

export function MetadataSection({ detail }: { detail: KeyDetail }) {
  const k = detail.key;
  return (
    <Section id="metadata-heading" title="Metadata">
      <FactList
        facts={[
          {
            term: "ARN",
            value: (
              <code className="text-xs" data-testid="key-arn">
                {k.arn}
              </code>
            ),
          },
          { term: "Key id", value: <code className="text-xs">{k.keyId}</code> },
          { term: "Account", value: `${detail.accountName} (${k.accountId})` },
          { term: "Region", value: k.region },
          { term: "Description", value: k.description },
          { term: "Key state", value: k.keyState },
          { term: "Enabled", value: k.enabled ? "yes" : "no" },
          { term: "Key manager", value: k.keyManager },
          { term: "Key spec", value: k.keySpec },
          { term: "Key usage", value: k.keyUsage },
          { term: "Origin", value: k.origin },
          { term: "Created", value: isoDate(k.creationDate) },
          ...(k.deletionDate ? [{ term: "Deletion date", value: isoDate(k.deletionDate) }] : []),
          { term: "First seen", value: formatUtcMinute(k.firstSeenAt) },
          { term: "Last seen", value: formatUtcMinute(k.lastSeenAt) },
        ]}
      />
    </Section>
  );
}
