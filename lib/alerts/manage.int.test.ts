import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "@/test/db";
import { destinationInputSchema } from "./destination-schema";
import {
  createDestination,
  listDestinations,
  loadSendable,
  removeDestination,
  updateDestination,
} from "./destinations";
import { AlertInputError } from "./errors";
import { ruleInputSchema } from "./rule-schema";
import { createRule, listRules, removeRule, setRuleEnabled, updateRule } from "./rules";

// Managing destinations and rules: what an edit keeps, what it refuses, and the audit of each write.

const db = useFreshDatabase();
const admin = { actorEmail: "admin@example.com", ip: "192.0.2.1" };
const SECRET = "the-original-signing-secret";
const savedEnv = { ...process.env };
const webhook = (extra: Record<string, unknown> = {}) =>
  destinationInputSchema.parse({
    kind: "WEBHOOK",
    name: "SIEM",
    url: "https://hooks.corp.example/in",
    ...extra,
  });
const audits = (action: string) => db.prisma.auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });

beforeAll(() => {
  Object.assign(process.env, {
    INSIGHTS_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
    INSIGHTS_ALLOWED_ENDPOINT_HOSTS: "*.corp.example",
  });
});
afterAll(() => {
  process.env = savedEnv;
});

describe("destinations", () => {
  it("needs a secret when added; an edit with none keeps the stored one; the kind stays", async () => {
    await expect(createDestination(db.prisma, webhook(), admin)).rejects.toMatchObject({
      message: "Enter a signing secret (16 characters or more).",
      field: "secret",
    });
    const made = await createDestination(db.prisma, webhook({ secret: SECRET }), admin);
    const edited = await updateDestination(
      db.prisma,
      made.id,
      webhook({ name: "SIEM (prod)", url: "https://siem.corp.example/in" }),
      admin,
    );
    expect(edited).toMatchObject({ name: "SIEM (prod)", config: { url: "https://siem.corp.example/in" } });
    expect((await loadSendable(db.prisma, made.id))?.secret).toBe(SECRET);
    await updateDestination(
      db.prisma,
      made.id,
      webhook({ name: "SIEM (prod)", secret: "a-new-signing-secret-123" }),
      admin,
    );
    expect((await loadSendable(db.prisma, made.id))?.secret).toBe("a-new-signing-secret-123");
    const slack = destinationInputSchema.parse({
      kind: "SLACK",
      name: "x",
      slackUrl: "https://hooks.slack.com/services/a",
    });
    await expect(updateDestination(db.prisma, made.id, slack, admin)).rejects.toMatchObject({
      message: "A destination keeps its kind: add a new destination instead.",
      field: "kind",
    });
    const updates = await audits("alert.destination.update");
    expect(updates.map((a) => (a.details as { secretChanged: boolean }).secretChanged)).toEqual([
      false,
      true,
    ]);
    expect(updates[0]).toMatchObject({ actorEmail: "admin@example.com", ip: "192.0.2.1", target: made.id });
    expect(JSON.stringify(updates.map((a) => a.details))).not.toContain("a-new-signing-secret-123");
  });

  it("removes a destination with its rules, audited; a second removal says it is gone", async () => {
    const made = await createDestination(db.prisma, webhook({ name: "Temp", secret: SECRET }), admin);
    await createRule(
      db.prisma,
      ruleInputSchema.parse({ name: "Temp rule", kind: "SCAN_FAILED", destinationId: made.id }),
      admin,
    );
    expect(await removeDestination(db.prisma, made.id, admin)).toBe("Temp");
    expect((await listRules(db.prisma)).map((r) => r.name)).not.toContain("Temp rule");
    expect((await audits("alert.destination.remove")).at(-1)?.details).toMatchObject({ rulesRemoved: 1 });
    await expect(removeDestination(db.prisma, made.id, admin)).rejects.toThrow(
      "That destination does not exist (any more).",
    );
    expect((await listDestinations(db.prisma)).map((d) => d.name)).toEqual(["SIEM (prod)"]);
  });
});

describe("rules", () => {
  it("are added, changed, disabled, enabled and removed, each audited; an unknown destination is refused", async () => {
    const [destination] = await listDestinations(db.prisma);
    const input = (extra: Record<string, unknown>) =>
      ruleInputSchema.parse({
        name: "New critical",
        kind: "NEW_OR_REOPENED",
        destinationId: destination!.id,
        ...extra,
      });
    await expect(
      createRule(db.prisma, input({ destinationId: "gone", severities: ["CRITICAL"] }), admin),
    ).rejects.toThrow(AlertInputError);
    const rule = await createRule(
      db.prisma,
      input({ severities: ["CRITICAL"], accountIds: ["123456789012"] }),
      admin,
    );
    expect(rule).toMatchObject({
      enabled: true,
      severities: ["CRITICAL"],
      accountIds: ["123456789012"],
      days: null,
    });
    const changed = await updateRule(
      db.prisma,
      rule.id,
      input({ name: "New findings", severities: ["CRITICAL", "WARNING"] }),
      admin,
    );
    expect(changed).toMatchObject({ name: "New findings", accountIds: [], destinationName: "SIEM (prod)" });
    expect((await setRuleEnabled(db.prisma, rule.id, false, admin)).enabled).toBe(false);
    expect((await setRuleEnabled(db.prisma, rule.id, true, admin)).enabled).toBe(true);
    expect(await removeRule(db.prisma, rule.id, admin)).toBe("New findings");
    await expect(setRuleEnabled(db.prisma, rule.id, true, admin)).rejects.toThrow(
      "That rule does not exist (any more).",
    );
    const actions = (
      await db.prisma.auditLog.findMany({ where: { target: rule.id }, orderBy: { id: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual([
      "alert.rule.create",
      "alert.rule.update",
      "alert.rule.disable",
      "alert.rule.enable",
      "alert.rule.remove",
    ]);
  });
});
