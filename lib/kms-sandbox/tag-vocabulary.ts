import type { Rng } from "./random";
import type { ResourceTag } from "./estate-types";

export const FIRST_NAMES = [
  "ana",
  "ben",
  "chloe",
  "dmitri",
  "elif",
  "farah",
  "gustavo",
  "hana",
  "ivan",
  "jun",
  "kofi",
  "lena",
  "mateo",
  "noor",
  "olga",
  "priya",
  "quentin",
  "rosa",
  "sven",
  "tomasz",
  "uma",
  "yusuf",
];
export const LAST_NAMES = [
  "silva",
  "meyer",
  "okafor",
  "tanaka",
  "novak",
  "haddad",
  "kowalski",
  "nguyen",
  "garcia",
  "schmidt",
  "ivanova",
  "rossi",
  "kim",
  "patel",
  "dubois",
  "larsen",
  "moreau",
  "fischer",
  "costa",
  "sato",
];
export const APPS = [
  "payments-api",
  "checkout",
  "ledger",
  "billing",
  "identity",
  "search",
  "catalog",
  "orders",
  "inventory",
  "notifications",
  "reporting",
  "data-lake",
  "etl",
  "ml-training",
  "feature-store",
  "customer-portal",
  "admin-console",
  "audit-log",
  "backup",
  "secrets",
  "vpn",
  "mobile-backend",
  "pricing",
  "recommendations",
  "fraud-detection",
  "kyc",
  "email-gateway",
  "sftp-ingest",
  "warehouse",
  "analytics",
];
export const TEAMS = [
  "platform",
  "payments",
  "data",
  "security",
  "sre",
  "identity",
  "growth",
  "mobile",
  "core-banking",
  "ml",
  "finance-eng",
  "compliance",
  "devex",
  "infra",
  "checkout-squad",
  "Team Ω",
  "équipe-données",
];
export const ENVIRONMENTS = [
  "prod",
  "production",
  "staging",
  "stage",
  "dev",
  "development",
  "qa",
  "test",
  "sandbox",
  "dr",
  "Prod",
  "PROD",
  "uat",
  "perf",
];

const PLAIN_UNICODE = [
  "Zürich",
  "東京オフィス",
  "Ελληνικά",
  "مرحبا بالعالم",
  "Ünïcödé ✓",
  "données sensibles",
  "🔐 encryption",
  "São Paulo",
  "Kraków–Łódź",
  "서울 데이터센터",
  "שלום",
  "naïve café",
  "Ж/Д перевозки",
];
/** Values a spreadsheet would treat as formulas when a CSV cell starts with them. */
export const FORMULA_LIKE_VALUES = [
  '=HYPERLINK("https://example.com","click")',
  "=1+2",
  "+31 20 555 0100",
  "-sensitive",
  "@finance-team",
  "=cmd|' /C calc'!A0",
  "+SUM(A1:A9)",
  "-1",
];
export const LONG_VALUE_256 = "long-value-".padEnd(256, "0123456789abcdef");
const ODD_WHITESPACE = [
  " leading-space",
  "trailing-space ",
  "tab\tinside",
  "multi  space",
  "semi;colon",
  "comma,value",
  'quote"inside',
  "key=value",
  "a; b=c",
];

type ValueSource = (rng: Rng) => string;
const fromList =
  (values: readonly string[]): ValueSource =>
  (rng) =>
    rng.pick(values);
const person: ValueSource = (rng) => `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}@example.com`;
const number =
  (prefix: string, digits: number): ValueSource =>
  (rng) =>
    `${prefix}${String(rng.int(0, 10 ** digits - 1)).padStart(digits, "0")}`;

/** Tag keys as real estates have them: mixed case conventions, near-duplicates, an aws: prefixed key. */
const TAG_SOURCES: Record<string, ValueSource> = {
  Environment: fromList(ENVIRONMENTS),
  env: fromList(ENVIRONMENTS),
  Owner: person,
  owner: person,
  CostCenter: number("CC-", 4),
  "cost-center": number("", 5),
  team: fromList(TEAMS),
  Team: fromList(TEAMS),
  app: fromList(APPS),
  Application: fromList(APPS),
  service: fromList(APPS),
  "data-classification": fromList(["public", "internal", "confidential", "restricted", "pii", "pci", "phi"]),
  Name: (rng) => `${rng.pick(APPS)}-${rng.pick(ENVIRONMENTS)}-key`,
  Project: (rng) =>
    `${rng.pick(["apollo", "hermes", "atlas", "zephyr", "orion", "nimbus", "kraken"])}-${rng.int(1, 9)}`,
  BusinessUnit: fromList([
    "Retail",
    "Wholesale",
    "Corporate",
    "Insurance",
    "Research & Development",
    "Treasury",
  ]),
  Compliance: fromList(["PCI-DSS", "HIPAA", "SOC2", "ISO27001", "GDPR", "none", "PCI-DSS,SOC2"]),
  backup: fromList(["daily", "weekly", "none", "true", "false"]),
  "managed-by": fromList(["terraform", "cloudformation", "cdk", "pulumi", "manual", "crossplane"]),
  "terraform-workspace": (rng) =>
    `${rng.pick(APPS)}-${rng.pick(["eu", "us", "ap"])}-${rng.pick(ENVIRONMENTS)}`,
  tier: fromList(["gold", "silver", "bronze", "1", "2", "3"]),
  component: fromList(["db", "queue", "cache", "bucket", "secrets", "logs", "tokens", "backups"]),
  "created-by": person,
  Department: fromList(["Engineering", "Finance", "HR", "Legal", "Marketing", "Operations", "IT Security"]),
  "aws:cloudformation:stack-name": (rng) => `${rng.pick(APPS)}-stack-${rng.hex(6)}`,
  version: (rng) => `${rng.int(0, 5)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
  ticket: number("SEC-", 5),
  Confidentiality: fromList(["C1", "C2", "C3", "C4"]),
  pii: fromList(["true", "false", "yes", "no", "TRUE"]),
  retention: fromList(["30d", "90d", "1y", "7y", "forever", "P3Y"]),
  customer: (rng) => `cust-${rng.hex(8)}`,
  Contact: person,
  Schedule: fromList(["office-hours", "24x7", "weekdays", "Mon-Fri 08:00-18:00 CET"]),
  SecurityZone: fromList(["dmz", "internal", "restricted", "pci-zone", "zone-a", "zone-b"]),
  "map-migrated": (rng) => `mig${rng.int(10000, 99999)}`,
  repo: (rng) => `github.com/example/${rng.pick(APPS)}`,
  description: (rng) => rng.pick(PLAIN_UNICODE),
  region: fromList(["eu-west-1", "us-east-1", "ap-southeast-2", "global"]),
};
export const TAG_KEYS = Object.keys(TAG_SOURCES);

function ordinaryValue(rng: Rng, key: string): string {
  const roll = rng.next();
  if (roll < 0.03) return "";
  if (roll < 0.07) return rng.pick(PLAIN_UNICODE);
  if (roll < 0.09) return rng.pick(FORMULA_LIKE_VALUES);
  if (roll < 0.1) return LONG_VALUE_256;
  if (roll < 0.12) return rng.pick(ODD_WHITESPACE);
  return TAG_SOURCES[key]!(rng);
}

/** A realistic tag set of `count` distinct keys. */
export function randomTags(rng: Rng, count: number): ResourceTag[] {
  return rng.sample(TAG_KEYS, count).map((TagKey) => ({ TagKey, TagValue: ordinaryValue(rng, TagKey) }));
}

/** Every awkward case once: empty, 256 chars, unicode, formula-like prefixes, separators. */
export function edgeCaseTags(): ResourceTag[] {
  return [
    { TagKey: "empty-value", TagValue: "" },
    { TagKey: "long-value", TagValue: LONG_VALUE_256 },
    { TagKey: "unicode-city", TagValue: "Zürich" },
    { TagKey: "unicode-cjk", TagValue: "東京オフィス" },
    { TagKey: "unicode-emoji", TagValue: "🔐 encryption" },
    { TagKey: "unicode-rtl", TagValue: "مرحبا بالعالم" },
    { TagKey: "formula-equals", TagValue: '=HYPERLINK("https://example.com","click")' },
    { TagKey: "formula-plus", TagValue: "+31 20 555 0100" },
    { TagKey: "formula-minus", TagValue: "-sensitive" },
    { TagKey: "formula-at", TagValue: "@finance-team" },
    { TagKey: "separators", TagValue: 'a; b=c, "d"' },
    { TagKey: "Ключ-ünïcode", TagValue: "значение" },
    { TagKey: "k".repeat(128), TagValue: "key of the maximum length (128)" },
  ];
}

/**
 * More tags than one ListResourceTags page (default Limit 50) holds. Real KMS allows at most 50 tags
 * per key; the sandbox goes past that on purpose so paging is exercised with the default Limit.
 */
export function heavyTags(rng: Rng, total = 62): ResourceTag[] {
  const tags = [...edgeCaseTags(), ...randomTags(rng, TAG_KEYS.length)];
  for (let i = 0; tags.length < total; i++) {
    tags.push({
      TagKey: `extra-${String(i).padStart(2, "0")}`,
      TagValue: ordinaryValue(rng, rng.pick(TAG_KEYS)),
    });
  }
  return tags.slice(0, total);
}
