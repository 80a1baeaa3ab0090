import nodemailer from "nodemailer";
import type { SendableDestination } from "./destinations";
import { outboundRefusal, smtpRefusal } from "./outbound";
import type { AlertPayload } from "./payload";
import { emailMessage, slackMessage } from "./render";
import { signBody } from "./signature";

// Sends one alert message to one destination, once; deliver.ts retries. A failure is an error
// whose message says why in words (the HTTP status, the SMTP answer, the refused host).

const TIMEOUT_MS = 15_000;

/** A failure that another attempt cannot fix (a host the allow-list refuses, a missing secret). */
export class PermanentDeliveryError extends Error {}

async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "user-agent": "kms-insights-alerts/1", ...headers },
      // A redirect could lead to a host the allow-list does not permit: it is a failure instead.
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    if (err instanceof Error && err.name === "TimeoutError") {
      throw new Error(`No answer within ${TIMEOUT_MS / 1000} s.`);
    }
    throw new Error(`Could not connect${cause || `: ${String(err)}`}.`);
  }
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status > 299) {
    throw new Error(`The receiver answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}.`);
  }
}

export async function sendAlert(
  destination: SendableDestination,
  payload: AlertPayload,
  now = () => new Date(),
): Promise<void> {
  const config = destination.config;
  switch (config.kind) {
    case "WEBHOOK": {
      const refused = outboundRefusal(config.url, "WEBHOOK");
      if (refused) throw new PermanentDeliveryError(refused);
      if (!destination.secret) throw new PermanentDeliveryError("The destination has no signing secret.");
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(now().getTime() / 1000);
      await post(config.url, body, {
        "x-signature": signBody(destination.secret, timestamp, body),
        "x-signature-timestamp": String(timestamp),
        "x-kms-insights-delivery": payload.id,
      });
      return;
    }
    case "SLACK": {
      if (!destination.secret) throw new PermanentDeliveryError("The destination has no Slack webhook URL.");
      const refused = outboundRefusal(destination.secret, "SLACK");
      if (refused) throw new PermanentDeliveryError(refused);
      await post(destination.secret, JSON.stringify(slackMessage(payload)), {});
      return;
    }
    case "EMAIL": {
      const refused = smtpRefusal(config.host, config.port);
      if (refused) throw new PermanentDeliveryError(refused);
      const transport = nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.security === "tls",
        requireTLS: config.security === "starttls",
        ignoreTLS: config.security === "none",
        auth: config.username ? { user: config.username, pass: destination.secret ?? "" } : undefined,
        connectionTimeout: TIMEOUT_MS,
        greetingTimeout: TIMEOUT_MS,
        socketTimeout: TIMEOUT_MS,
      });
      try {
        const message = emailMessage(payload);
        await transport.sendMail({ from: config.from, to: config.to, ...message });
      } catch (err) {
        throw new Error(
          `The SMTP server refused the message: ${err instanceof Error ? err.message : String(err)}`,
        );
      } finally {
        transport.close();
      }
      return;
    }
  }
}
