import { randomUUID } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import type { AlertRule, PrismaClient } from "@/lib/generated/prisma/client";
import { AlertInputError } from "./errors";
import type { RuleInput, RuleKind } from "./rule-schema";

// Alert rules: what, after a scan ends, sends a digest to a destination. Each write is audited in
// its own transaction.

export interface RuleView {
  id: string;
  name: string;
  kind: RuleKind;
  enabled: boolean;
  destinationId: string;
  destinationName: string;
  severities: string[];
  accountIds: string[];
  ouIds: string[];
  tagKey: string | null;
  tagValue: string | null;
  days: number | null;
}

export class RuleNotFoundError extends AlertInputError {
  constructor() {
    super("That rule does not exist (any more).");
  }
}

function toView(r: AlertRule & { destination: { name: string } }): RuleView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    enabled: r.enabled,
    destinationId: r.destinationId,
    destinationName: r.destination.name,
    severities: r.severities,
    accountIds: r.accountIds,
    ouIds: r.ouIds,
    tagKey: r.tagKey,
    tagValue: r.tagValue,
    days: r.days,
  };
}

async function checkDestination(db: Pick<PrismaClient, "alertDestination">, id: string) {
  if (!(await db.alertDestination.findUnique({ where: { id }, select: { id: true } }))) {
    throw new AlertInputError("That destination does not exist (any more).", "destinationId");
  }
}

const dataOf = (input: RuleInput) => ({
  name: input.name,
  kind: input.kind,
  enabled: input.enabled,
  destinationId: input.destinationId,
  severities: input.severities,
  accountIds: input.accountIds,
  ouIds: input.ouIds,
  tagKey: input.tagKey,
  tagValue: input.tagValue,
  days: input.days,
});

export async function createRule(db: PrismaClient, input: RuleInput, actor: Actor): Promise<RuleView> {
  return db.$transaction(async (tx) => {
    await checkDestination(tx, input.destinationId);
    const rule = await tx.alertRule.create({
      data: { id: randomUUID(), ...dataOf(input) },
      include: { destination: { select: { name: true } } },
    });
    await audit(tx, { ...actor, action: "alert.rule.create", target: rule.id, details: dataOf(input) });
    return toView(rule);
  });
}

export async function updateRule(
  db: PrismaClient,
  id: string,
  input: RuleInput,
  actor: Actor,
): Promise<RuleView> {
  return db.$transaction(async (tx) => {
    if (!(await tx.alertRule.findUnique({ where: { id }, select: { id: true } }))) {
      throw new RuleNotFoundError();
    }
    await checkDestination(tx, input.destinationId);
    const rule = await tx.alertRule.update({
      where: { id },
      data: dataOf(input),
      include: { destination: { select: { name: true } } },
    });
    await audit(tx, { ...actor, action: "alert.rule.update", target: id, details: dataOf(input) });
    return toView(rule);
  });
}

export async function setRuleEnabled(
  db: PrismaClient,
  id: string,
  enabled: boolean,
  actor: Actor,
): Promise<RuleView> {
  return db.$transaction(async (tx) => {
    const found = await tx.alertRule.findUnique({ where: { id }, select: { id: true } });
    if (!found) throw new RuleNotFoundError();
    const rule = await tx.alertRule.update({
      where: { id },
      data: { enabled },
      include: { destination: { select: { name: true } } },
    });
    await audit(tx, { ...actor, action: enabled ? "alert.rule.enable" : "alert.rule.disable", target: id });
    return toView(rule);
  });
}

export async function removeRule(db: PrismaClient, id: string, actor: Actor): Promise<string> {
  return db.$transaction(async (tx) => {
    const found = await tx.alertRule.findUnique({ where: { id } });
    if (!found) throw new RuleNotFoundError();
    await tx.alertRule.delete({ where: { id } });
    await audit(tx, {
      ...actor,
      action: "alert.rule.remove",
      target: id,
      details: { name: found.name, kind: found.kind },
    });
    return found.name;
  });
}

export async function listRules(db: PrismaClient): Promise<RuleView[]> {
  const rows = await db.alertRule.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { destination: { select: { name: true } } },
  });
  return rows.map(toView);
}
