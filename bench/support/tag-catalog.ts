// The tags of the generated estate: a few dozen tag keys with the conventions real estates mix
// (Environment and env, Owner and owner), each carried by a share of the tagged customer keys, with
// a few to several hundred values, the first ones more common. One value in ten is an awkward one
// (empty, formula-like, separators, quotes, non-Latin text) so that the CSV export is exercised too.

// The vocabulary is the sandbox's (lib/kms-sandbox/tag-vocabulary.ts): the same names in both estates.
import {
  APPS,
  ENVIRONMENTS,
  FIRST_NAMES as FIRST,
  LAST_NAMES as LAST,
  TEAMS,
} from "@/lib/kms-sandbox/tag-vocabulary";

export interface CatalogTag {
  key: string;
  /** Share of the tagged customer keys that carry this tag key. */
  share: number;
  values: string[];
}

/** Values a spreadsheet would evaluate, separators, quotes, whitespace and non-Latin text. */
export const AWKWARD_VALUES = [
  "",
  '=HYPERLINK("https://example.com","click")',
  "=1+2",
  "+31 20 555 0100",
  "-sensitive",
  "@finance-team",
  "comma,value",
  'quote"inside',
  "semi;colon",
  "a; b=c",
  " leading-space",
  "tab\tinside",
  "Zürich",
  "東京オフィス",
  "مرحبا بالعالم",
  "🔐 encryption",
  "long-value-".padEnd(256, "0123456789abcdef"),
];

const people = FIRST.flatMap((f) => LAST.map((l) => `${f}.${l}@example.com`));
const numbered = (prefix: string, count: number, digits: number) =>
  Array.from(
    { length: count },
    (_, i) => `${prefix}${String((i * 7919) % 10 ** digits).padStart(digits, "0")}`,
  );
const cross = (a: string[], b: string[], join: (x: string, y: string) => string) =>
  a.flatMap((x) => b.map((y) => join(x, y)));

export const TAG_CATALOG: CatalogTag[] = [
  { key: "env", share: 0.55, values: ENVIRONMENTS },
  { key: "Environment", share: 0.25, values: ENVIRONMENTS },
  { key: "team", share: 0.35, values: TEAMS },
  { key: "Team", share: 0.08, values: TEAMS },
  { key: "owner", share: 0.3, values: people },
  { key: "Owner", share: 0.1, values: people },
  { key: "app", share: 0.3, values: APPS },
  { key: "Application", share: 0.1, values: APPS },
  { key: "service", share: 0.12, values: APPS },
  { key: "CostCenter", share: 0.25, values: numbered("CC-", 300, 4) },
  { key: "cost-center", share: 0.05, values: numbered("", 200, 5) },
  { key: "Name", share: 0.2, values: cross(APPS, ENVIRONMENTS, (a, e) => `${a}-${e}-key`) },
  {
    key: "Project",
    share: 0.1,
    values: cross(
      ["apollo", "hermes", "atlas", "zephyr", "orion", "nimbus", "kraken"],
      ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
      (p, n) => `${p}-${n}`,
    ),
  },
  {
    key: "data-classification",
    share: 0.15,
    values: ["public", "internal", "confidential", "restricted", "pii", "pci", "phi"],
  },
  {
    key: "BusinessUnit",
    share: 0.06,
    values: ["Retail", "Wholesale", "Corporate", "Insurance", "Research & Development", "Treasury"],
  },
  {
    key: "Compliance",
    share: 0.08,
    values: ["PCI-DSS", "HIPAA", "SOC2", "ISO27001", "GDPR", "none", "PCI-DSS,SOC2"],
  },
  { key: "backup", share: 0.05, values: ["daily", "weekly", "none", "true", "false"] },
  {
    key: "managed-by",
    share: 0.3,
    values: ["terraform", "cloudformation", "cdk", "pulumi", "manual", "crossplane"],
  },
  { key: "terraform-workspace", share: 0.12, values: cross(APPS, ["eu", "us", "ap"], (a, r) => `${a}-${r}`) },
  { key: "tier", share: 0.06, values: ["gold", "silver", "bronze", "1", "2", "3"] },
  {
    key: "component",
    share: 0.1,
    values: ["db", "queue", "cache", "bucket", "secrets", "logs", "tokens", "backups"],
  },
  { key: "created-by", share: 0.05, values: people },
  {
    key: "Department",
    share: 0.04,
    values: ["Engineering", "Finance", "HR", "Legal", "Marketing", "Operations", "IT Security"],
  },
  {
    key: "aws:cloudformation:stack-name",
    share: 0.08,
    values: cross(APPS, numbered("", 10, 6), (a, n) => `${a}-stack-${n}`),
  },
  { key: "version", share: 0.03, values: numbered("1.", 60, 2) },
  { key: "ticket", share: 0.04, values: numbered("SEC-", 500, 5) },
  { key: "Confidentiality", share: 0.03, values: ["C1", "C2", "C3", "C4"] },
  { key: "pii", share: 0.05, values: ["true", "false", "yes", "no", "TRUE"] },
  { key: "retention", share: 0.04, values: ["30d", "90d", "1y", "7y", "forever", "P3Y"] },
  { key: "customer", share: 0.03, values: numbered("cust-", 400, 8) },
  { key: "Contact", share: 0.03, values: people },
  { key: "Schedule", share: 0.02, values: ["office-hours", "24x7", "weekdays", "Mon-Fri 08:00-18:00 CET"] },
  {
    key: "SecurityZone",
    share: 0.03,
    values: ["dmz", "internal", "restricted", "pci-zone", "zone-a", "zone-b"],
  },
  { key: "map-migrated", share: 0.04, values: numbered("mig", 300, 5) },
  { key: "repo", share: 0.05, values: APPS.map((a) => `github.com/example/${a}`) },
  { key: "region", share: 0.03, values: ["eu-west-1", "us-east-1", "ap-southeast-2", "global"] },
];

export { APPS, ENVIRONMENTS };
