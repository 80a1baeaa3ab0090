import { randomUUID } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import type { AlertDestination, Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { getEncrypter, recordContext, type Encrypter } from "@/lib/secrets";
import type { DestinationConfig, DestinationInput, DestinationKind } from "./destination-schema";
import { AlertInputError } from "./errors";
import { outboundRefusal, smtpRefusal } from "./outbound";

// Alert destinations: a signed webhook, a Slack incoming webhook, an SMTP server. Each write is
// audited in its own transaction; secrets are encrypted with the record's context and never
// returned by a read meant for a page or the CLI.

export interface DestinationView {
  id: string;
  name: string;
  kind: DestinationKind;
  config: DestinationConfig;
  /** Whether a secret is stored (the secret itself is never shown). */
  hasSecret: boolean;
  rules: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A destination with its secret, for sending only. */
export interface SendableDestination {
  id: string;
  name: string;
  config: DestinationConfig;
  secret: string | null;
}

const secretContext = (id: string) => recordContext("alert_destinations", id, "secret");

function configOf(input: DestinationInput, slackHost?: string): DestinationConfig {
  switch (input.kind) {
    case "WEBHOOK":
      return { kind: "WEBHOOK", url: input.url };
    case "SLACK":
      return { kind: "SLACK", host: slackHost ?? "" };
    case "EMAIL":
      return {
        kind: "EMAIL",
        host: input.host.replace(/^\[|\]$/g, ""),
        port: input.port,
        security: input.security,
        username: input.username ?? null,
        from: input.from,
        to: input.to,
      };
  }
}

function secretOf(input: DestinationInput): string | undefined {
  if (input.kind === "WEBHOOK") return input.secret;
  if (input.kind === "SLACK") return input.slackUrl;
  return input.password;
}

/** Refuses a destination the allow-list does not permit, naming the field. */
function checkOutbound(input: DestinationInput): void {
  if (input.kind === "WEBHOOK") {
    const refused = outboundRefusal(input.url, "WEBHOOK");
    if (refused) throw new AlertInputError(refused, "url");
  } else if (input.kind === "SLACK" && input.slackUrl) {
    const refused = outboundRefusal(input.slackUrl, "SLACK");
    if (refused) throw new AlertInputError(refused, "slackUrl");
  } else if (input.kind === "EMAIL") {
    const refused = smtpRefusal(input.host.replace(/^\[|\]$/g, ""), input.port);
    if (refused) throw new AlertInputError(refused, "host");
  }
}

const REQUIRED_SECRET: Partial<Record<DestinationKind, { field: string; message: string }>> = {
  WEBHOOK: { field: "secret", message: "Enter a signing secret (16 characters or more)." },
  SLACK: { field: "slackUrl", message: "Enter the Slack webhook URL." },
};

function toView(d: AlertDestination & { _count?: { rules: number } }): DestinationView {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    config: d.config as unknown as DestinationConfig,
    hasSecret: d.secretCipher !== null,
    rules: d._count?.rules ?? 0,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** What the audit log keeps of a destination: never its secret. */
function auditDetails(input: DestinationInput, config: DestinationConfig, secretChanged: boolean) {
  return { name: input.name, kind: input.kind, config, secretChanged };
}

export async function createDestination(
  db: PrismaClient,
  input: DestinationInput,
  actor: Actor,
  encrypter?: Encrypter,
): Promise<DestinationView> {
  checkOutbound(input);
  const secret = secretOf(input);
  const required = REQUIRED_SECRET[input.kind];
  if (required && !secret) throw new AlertInputError(required.message, required.field);
  const id = randomUUID();
  const config = configOf(input, input.kind === "SLACK" ? new URL(input.slackUrl!).host : undefined);
  const secretCipher = secret
    ? await (encrypter ?? (await getEncrypter())).encrypt(secret, secretContext(id))
    : null;
  return db.$transaction(async (tx) => {
    const created = await tx.alertDestination.create({
      data: {
        id,
        name: input.name,
        kind: input.kind,
        config: config as unknown as Prisma.InputJsonValue,
        secretCipher,
      },
    });
    await audit(tx, {
      ...actor,
      action: "alert.destination.create",
      target: id,
      details: auditDetails(input, config, !!secret),
    });
    return toView(created);
  });
}

export class DestinationNotFoundError extends AlertInputError {
  constructor() {
    super("That destination does not exist (any more).");
  }
}

export async function updateDestination(
  db: PrismaClient,
  id: string,
  input: DestinationInput,
  actor: Actor,
  encrypter?: Encrypter,
): Promise<DestinationView> {
  const existing = await db.alertDestination.findUnique({ where: { id } });
  if (!existing) throw new DestinationNotFoundError();
  if (existing.kind !== input.kind) {
    throw new AlertInputError("A destination keeps its kind: add a new destination instead.", "kind");
  }
  checkOutbound(input);
  const secret = secretOf(input);
  const secretCipher = secret
    ? await (encrypter ?? (await getEncrypter())).encrypt(secret, secretContext(id))
    : existing.secretCipher;
  const required = REQUIRED_SECRET[input.kind];
  if (required && !secretCipher) throw new AlertInputError(required.message, required.field);
  const slackHost =
    input.kind === "SLACK"
      ? secret
        ? new URL(secret).host
        : (existing.config as { host?: string }).host
      : undefined;
  const config = configOf(input, slackHost);
  return db.$transaction(async (tx) => {
    const updated = await tx.alertDestination.update({
      where: { id },
      // The secret is written only when a new one is given: an edit that keeps it must not put
      // back the one it read if another admin replaced it meanwhile.
      data: {
        name: input.name,
        config: config as unknown as Prisma.InputJsonValue,
        ...(secret ? { secretCipher } : {}),
      },
    });
    await audit(tx, {
      ...actor,
      action: "alert.destination.update",
      target: id,
      details: auditDetails(input, config, !!secret),
    });
    return toView(updated);
  });
}

/** Removes a destination with its rules and its delivery log. */
export async function removeDestination(db: PrismaClient, id: string, actor: Actor): Promise<string> {
  return db.$transaction(async (tx) => {
    const existing = await tx.alertDestination.findUnique({
      where: { id },
      include: { _count: { select: { rules: true } } },
    });
    if (!existing) throw new DestinationNotFoundError();
    await tx.alertDestination.delete({ where: { id } });
    await audit(tx, {
      ...actor,
      action: "alert.destination.remove",
      target: id,
      details: { name: existing.name, kind: existing.kind, rulesRemoved: existing._count.rules },
    });
    return existing.name;
  });
}

export async function listDestinations(db: PrismaClient): Promise<DestinationView[]> {
  const rows = await db.alertDestination.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { _count: { select: { rules: true } } },
  });
  return rows.map(toView);
}

/** The destination with its secret decrypted, for sending; null when it is gone. */
export async function loadSendable(
  db: PrismaClient | Prisma.TransactionClient,
  id: string,
  encrypter?: Encrypter,
): Promise<SendableDestination | null> {
  const row = await db.alertDestination.findUnique({ where: { id } });
  if (!row) return null;
  const secret = row.secretCipher
    ? await (encrypter ?? (await getEncrypter())).decrypt(row.secretCipher, secretContext(id))
    : null;
  return { id: row.id, name: row.name, config: row.config as unknown as DestinationConfig, secret };
}
