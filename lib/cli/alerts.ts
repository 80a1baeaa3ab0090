import { parseArgs } from "node:util";
import { sendTestMessage } from "@/lib/alerts/deliver";
import { listDestinations } from "@/lib/alerts/destinations";
import { AlertInputError } from "@/lib/alerts/errors";
import { listRules } from "@/lib/alerts/rules";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { unknownSubcommand, type CommandHelp } from "./help";
import { UsageError, type CliIO } from "./io";

export const ALERTS_HELP: CommandHelp = {
  command: "alerts",
  summary: "list alert destinations and rules, send a test message",
  usage: ["alerts list [--json]", "alerts test --destination ID"],
  description:
    "list: the alert destinations (id, kind, name, where to) and the rules sending to each; never a " +
    "secret. test: sends a test message to the destination now, records it in the delivery log and " +
    "audits it; exits 1 when it could not be delivered (the reason on stderr). Destinations and " +
    "rules are managed on the console's Alerts page.",
  options: [
    { flag: "--destination ID", text: "test: the destination's id (from `alerts list`)" },
    { flag: "--json", text: "list: JSON instead of a table" },
  ],
};

function whereTo(config: Awaited<ReturnType<typeof listDestinations>>[number]["config"]): string {
  if (config.kind === "WEBHOOK") return config.url;
  if (config.kind === "SLACK") return `Slack (${config.host})`;
  return `${config.to.join(", ")} via ${config.host}:${config.port}`;
}

export async function alertsCommand(argv: string[], db: PrismaClient, io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "list") {
    const { values } = parseArgs({ args: rest, options: { json: { type: "boolean" } }, strict: true });
    const [destinations, rules] = await Promise.all([listDestinations(db), listRules(db)]);
    if (values.json) {
      io.out(JSON.stringify({ destinations, rules }, null, 2));
      return 0;
    }
    if (!destinations.length) io.err("No alert destination yet: add one on the console's Alerts page.");
    for (const d of destinations) {
      io.out([d.id, d.kind, d.name, whereTo(d.config)].join("\t"));
      for (const r of rules.filter((rule) => rule.destinationId === d.id)) {
        io.out(["", r.id, r.kind, r.name, r.enabled ? "enabled" : "disabled"].join("\t"));
      }
    }
    return 0;
  }
  if (sub === "test") {
    const { values } = parseArgs({ args: rest, options: { destination: { type: "string" } }, strict: true });
    if (!values.destination)
      throw new UsageError("Give the destination: --destination ID (see `alerts list`).");
    try {
      const outcome = await sendTestMessage(db, values.destination, { actorEmail: "cli" });
      if (outcome.status === "SENT") {
        io.out(outcome.deliveryId);
        io.err(`Sent a test message (delivery ${outcome.deliveryId}).`);
        return 0;
      }
      io.out(outcome.deliveryId);
      io.err(`The test message was not delivered: ${outcome.error ?? "unknown error"}`);
      return 1;
    } catch (err) {
      if (err instanceof AlertInputError) {
        io.err(`error: ${err.message} See \`alerts list\`.`);
        return 1;
      }
      throw err;
    }
  }
  throw unknownSubcommand("alerts", sub, ["list", "test"]);
}
