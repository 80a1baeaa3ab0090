import { parseInsightFilters, type InsightFilters } from "@/lib/insight-table/filters";
import type { CommandOption } from "./help";
import { UsageError } from "./io";

// The insight table's filters as command-line flags, shared by `export` and `fix plan`: each flag
// stands for one URL parameter, and the one filter parser of the web reads them.

/** The URL parameter each flag stands for. */
const FLAGS = {
  account: "account",
  ou: "ou",
  severity: "severity",
  region: "region",
  tag: "tag",
  "tag-value": "tagValue",
  q: "q",
  status: "status",
  change: "change",
  since: "since",
  overdue: "overdue",
} as const;

/** node:util parseArgs options of the filter flags. */
export const FILTER_FLAG_OPTIONS = {
  account: { type: "string", multiple: true },
  ou: { type: "string", multiple: true },
  severity: { type: "string", multiple: true },
  region: { type: "string", multiple: true },
  tag: { type: "string" },
  "tag-value": { type: "string", multiple: true },
  q: { type: "string" },
  status: { type: "string", multiple: true },
  change: { type: "string", multiple: true },
  since: { type: "string" },
  overdue: { type: "boolean" },
} as const;

/** The usage lines of the filter flags (after the command's own words). */
export const FILTER_FLAG_USAGE = [
  "[--account ID]... [--ou OU_ID]... [--severity S]... [--region R]...",
  "[--q TEXT] [--tag KEY [--tag-value V]...] [--status S]... [--overdue]",
  "[--change C]... [--since SCAN_ID|DATE]",
];

export const FILTER_FLAG_HELP: CommandOption[] = [
  { flag: "--account ID", text: "keys of this account; repeatable" },
  {
    flag: "--ou OU_ID",
    text: "keys of the accounts in this organizational unit (ou-…) or root (r-…), its children included; repeatable",
  },
  {
    flag: "--severity S",
    text: "CRITICAL, WARNING, OK or NOT_APPLICABLE; repeatable (NOT_APPLICABLE keys only when asked for)",
  },
  { flag: "--region R", text: "keys of this region; repeatable" },
  { flag: "--tag KEY", text: "keys with this tag" },
  { flag: "--tag-value V", text: "with --tag: keys whose tag has this value; repeatable" },
  { flag: "--q TEXT", text: "the insight page's search" },
  {
    flag: "--status S",
    text: "open, excepted, resolved or passing; repeatable (excepted findings only with --status excepted or --change)",
  },
  { flag: "--change C", text: "new, resolved or reopened; repeatable" },
  {
    flag: "--since SCAN_ID|DATE",
    text: "with --change: changes since this scan or date",
    default: "the previous scan",
  },
  { flag: "--overdue", text: "open findings past their due date" },
];

type FlagValues = { [K in keyof typeof FLAGS]?: string | string[] | boolean };

/** The filters the flags give, or a UsageError naming the flag that cannot be used. */
export function filtersFromFlags(values: FlagValues): InsightFilters {
  if (values["tag-value"] && values.tag === undefined) throw new UsageError("--tag-value needs --tag.");
  if (values.since !== undefined && !values.change) throw new UsageError("--since needs --change.");
  const params = Object.fromEntries(
    Object.entries(FLAGS).map(([flag, param]) => {
      const value = values[flag as keyof typeof FLAGS];
      // A switch on the command line is "1" in the URL.
      return [param, value === true ? "1" : value === false ? undefined : value];
    }),
  );
  const { filters, notices } = parseInsightFilters(params);
  if (notices.length) {
    const byFlag = Object.fromEntries(Object.entries(FLAGS).map(([flag, param]) => [param, `--${flag}`]));
    throw new UsageError(
      notices.map((n) => n.replace(/^Ignored (\w+)/, (_, param: string) => byFlag[param] ?? param)).join(" "),
    );
  }
  return filters;
}
