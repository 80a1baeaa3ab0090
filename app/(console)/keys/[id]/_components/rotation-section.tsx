import { isoDate } from "@/lib/verdict/dates";
import type { KeyDetail } from "@/lib/insight-table/key-detail";
import { FactList } from "./fact-list";
import { Section } from "./section";

const yesNo = (value: boolean | null) => (value === null ? "unknown" : value ? "yes" : "no");

export function RotationSection({ keyRow }: { keyRow: KeyDetail["key"] }) {
  return (
    <Section id="rotation-heading" title="Rotation">
      <FactList
        facts={[
          { term: "Key rotation status", value: keyRow.rotationStatus },
          { term: "Automatic rotation enabled", value: yesNo(keyRow.rotationEnabled) },
          {
            term: "Rotation period",
            value: keyRow.rotationPeriodDays === null ? "" : `${keyRow.rotationPeriodDays} days`,
          },
          { term: "Next rotation", value: isoDate(keyRow.nextRotation) },
          { term: "Last rotation", value: isoDate(keyRow.lastRotation) },
        ]}
      />
    </Section>
  );
}
