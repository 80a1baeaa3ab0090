import { z } from "zod";

// What an admin may say about an alert destination, in the console or the CLI; one schema for both.
// Secrets (a webhook's signing secret, the Slack webhook URL, the SMTP password) may be left empty
// on an edit: the stored one is kept. They are never shown back.

export const DESTINATION_KINDS = ["WEBHOOK", "SLACK", "EMAIL"] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];
export const DESTINATION_KIND_LABELS: Record<DestinationKind, string> = {
  WEBHOOK: "Webhook (signed JSON)",
  SLACK: "Slack incoming webhook",
  EMAIL: "Email (SMTP)",
};

export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;

const name = z.string().trim().min(1, "Give the destination a name.").max(100, "At most 100 characters.");
const httpUrl = z
  .string()
  .trim()
  .max(2048, "At most 2048 characters.")
  .refine((v) => {
    try {
      return ["http:", "https:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL.");
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(s: T) => z.preprocess(emptyToUndefined, s.optional());
const email = z.string().trim().max(254).email("Enter an email address.");

export const destinationInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("WEBHOOK"),
      name,
      url: httpUrl,
      secret: optional(
        z
          .string()
          .min(16, "A signing secret has at least 16 characters.")
          .max(256, "At most 256 characters."),
      ),
    }),
    z.object({
      kind: z.literal("SLACK"),
      name,
      slackUrl: optional(httpUrl),
    }),
    z.object({
      kind: z.literal("EMAIL"),
      name,
      host: z
        .string()
        .trim()
        .min(1, "Enter the SMTP server's host name.")
        .max(253)
        .regex(/^[a-z0-9.-]+$|^\[?[0-9a-f:.]+\]?$/i, "A host name or IP address."),
      port: z.coerce
        .number("A port is a number from 1 to 65535.")
        .int("A port is a number from 1 to 65535.")
        .min(1, "A port is a number from 1 to 65535.")
        .max(65535, "A port is a number from 1 to 65535."),
      security: z.enum(SMTP_SECURITY, "Choose STARTTLS, TLS or none."),
      username: optional(z.string().trim().max(254)),
      password: optional(z.string().max(1024)),
      from: email,
      to: z
        .string()
        .transform((v) =>
          v
            .split(/[,\s]+/)
            .map((s) => s.trim())
            .filter(Boolean),
        )
        .pipe(z.array(email).min(1, "Enter at least one recipient.").max(20, "At most 20 recipients.")),
    }),
  ],
  { error: "Choose webhook, Slack or email." },
);
export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** What the console shows of a destination's settings; never a secret. */
export type DestinationConfig =
  | { kind: "WEBHOOK"; url: string }
  | { kind: "SLACK"; host: string }
  | {
      kind: "EMAIL";
      host: string;
      port: number;
      security: (typeof SMTP_SECURITY)[number];
      username: string | null;
      from: string;
      to: string[];
    };
