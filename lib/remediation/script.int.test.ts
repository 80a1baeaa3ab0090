import { beforeAll, describe, expect, it } from "vitest";
import { parseInsightFilters } from "@/lib/insight-table/filters";
import { streamInsightRows } from "@/lib/insight-table/stream";
import { useFreshDatabase } from "@/test/db";
import { ACCOUNTS, seedInsightRows, type FixtureKey } from "@/test/fixtures/insight-rows";
import { parseScriptRequest, type ScriptRequest } from "./script-request";
import { auditedFixScript } from "./script-source";

const db = useFreshDatabase();
let live: FixtureKey[] = [];

beforeAll(async () => {
  ({ live } = await seedInsightRows(db.prisma));
});

const actor = { actorId: null, actorEmail: "reader@example.com", ip: "192.0.2.1" };

function request(query: string): ScriptRequest {
  const parsed = parseScriptRequest(new URLSearchParams(query), 365);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.request;
}

async function script(query: string, scope: readonly string[] | null = null): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of auditedFixScript(db.prisma, db.url, request(query), scope, actor))
    lines.push(line);
  return lines;
}

const keyLines = (lines: string[]) => lines.filter((l) => l.startsWith("aws ") || l.startsWith("# skipped"));
const lastAudit = () =>
  db.prisma.auditLog.findFirstOrThrow({ where: { action: "export.fix_commands" }, orderBy: { id: "desc" } });

describe("the commands script of the table's view", () => {
  it("has a line for every key the filters select, grouped by account", async () => {
    const query = "severity=critical&severity=warning";
    const lines = await script(query);
    const expected: string[] = [];
    const { filters } = parseInsightFilters(new URLSearchParams(query));
    for await (const row of streamInsightRows(db.url, filters, null)) expected.push(row.keyId);
    expect(expected.length).toBeGreaterThan(10);
    // One line per key (a command, or a comment saying why it is skipped), naming it.
    expect(keyLines(lines)).toHaveLength(expected.length);
    const text = lines.join("\n");
    for (const keyId of expected) expect(text).toContain(keyId);
    // Each account once, in order.
    expect(lines.filter((l) => l.startsWith("# Account "))).toEqual(
      ACCOUNTS.map((a) => `# Account ${a.id} (${a.name})`),
    );
    expect(text).toContain("# Keys: the table's view severity=CRITICAL&severity=WARNING");
  });

  it("keeps to the reader's account scope", async () => {
    const lines = await script("severity=critical", [ACCOUNTS[0].id]);
    const text = keyLines(lines).join("\n");
    expect(text).toContain(`:${ACCOUNTS[0].id}:`);
    for (const other of ACCOUNTS.slice(1)) expect(text).not.toContain(other.id);
    expect(await script("severity=critical", [])).not.toContainEqual(expect.stringMatching(/^aws /));
  });

  it("writes one audit entry with what was asked and how many keys went out", async () => {
    const lines = await script("severity=critical&period=180");
    expect(lines).toContain("# Rotation period: 180 days.");
    const entry = await lastAudit();
    expect(entry.actorEmail).toBe("reader@example.com");
    expect(entry.details).toEqual({
      selection: "filter",
      filters: "severity=CRITICAL",
      periodDays: 180,
      keys: keyLines(lines).filter((l) => !l.includes("primary")).length,
      completed: true,
    });
  });

  it("says in the script which parameters it ignored, as the table does", async () => {
    const lines = await script("severity=nope&severity=critical");
    expect(lines.some((l) => l.startsWith("# Ignored severity"))).toBe(true);
  });
});

describe("the commands script of selected keys", () => {
  it("covers the selected keys in scope; the others are named as not found, with no command", async () => {
    const mine = live.filter(
      (k) =>
        k.accountId === ACCOUNTS[0].id &&
        k.keyState === "Enabled" &&
        k.keyManager === "CUSTOMER" &&
        k.origin === "AWS_KMS" &&
        !k.rotationEnabled,
    )[0]!;
    const theirs = live.find((k) => k.accountId === ACCOUNTS[1].id)!;
    const lines = await script(`key=${encodeURIComponent(mine.arn)}&key=${encodeURIComponent(theirs.arn)}`, [
      ACCOUNTS[0].id,
    ]);
    expect(lines.filter((l) => l.startsWith("aws "))).toEqual([
      `aws kms enable-key-rotation --key-id ${mine.keyId} --rotation-period-in-days 365 --region ${mine.region}`,
    ]);
    expect(lines).toContain(`# skipped ${theirs.arn}: not a key of your accounts`);
    expect(lines).toContain("# Keys: 2 selected keys");
    expect((await lastAudit()).details).toMatchObject({ selection: "keys", keys: 1, completed: true });
  });
});

describe("the script's parameters", () => {
  it.each([
    ["period=30", "The rotation period is a whole number of days from 90 to the policy's maximum, 365."],
    ["period=400", "The rotation period is a whole number of days from 90 to the policy's maximum, 365."],
    ["period=abc", "The rotation period is a whole number of days from 90 to the policy's maximum, 365."],
    ["period=90&period=100", "Give the period once."],
    ["key=nonsense", 'Not a KMS key ARN: "nonsense".'],
    [
      "key=arn:aws:kms:eu-west-1:111111111111:key/k1&severity=critical",
      "Give either keys (key=) or filters, not both.",
    ],
  ])("refuses %s with a message", (query, message) => {
    expect(parseScriptRequest(new URLSearchParams(query), 365)).toEqual({ ok: false, message });
  });

  it("refuses more keys than a selection can hold", () => {
    const many = Array.from({ length: 501 }, (_, i) => `key=arn:aws:kms:eu-west-1:111111111111:key/k${i}`);
    const parsed = parseScriptRequest(new URLSearchParams(many.join("&")), 365);
    expect(parsed.ok).toBe(false);
  });
});
