// The export's formats by name, for the console's menu as well as the server (no server code here).

export const FINDING_FORMATS = ["csv", "jsonl", "ocsf", "asff"] as const;
export type FindingFormat = (typeof FINDING_FORMATS)[number];

/** What the console's export menu says of each format. */
export const FINDING_FORMAT_LABELS: Record<FindingFormat, string> = {
  csv: "CSV",
  jsonl: "JSON Lines",
  ocsf: "OCSF 1.3 (JSON Lines)",
  asff: "ASFF for Security Hub (JSON Lines)",
};
