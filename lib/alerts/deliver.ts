import { randomUUID } from "node:crypto";
import { audit, type Actor } from "@/lib/audit/log";
import { consoleOrigin } from "@/lib/config/env";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Encrypter } from "@/lib/secrets";
import { DestinationNotFoundError, loadSendable } from "./destinations";
import { testPayload, type AlertPayload } from "./payload";
import { PermanentDeliveryError, sendAlert } from "./send";

// One attempt at a message, recorded in the delivery log (alert_delivery_attempts) with the
// message's status: SENT, RETRYING (the queue tries again later, queue.ts) or FAILED (the last
// attempt failed, or a failure no retry can fix).

/** Attempts of one message, the first included. */
export const MAX_ATTEMPTS = 5;

export interface DeliveryOutcome {
  status: "SENT" | "RETRYING" | "FAILED" | "GONE";
  attempt: number;
  error?: string;
}

export async function attemptDelivery(
  db: PrismaClient,
  deliveryId: string,
  opts: { maxAttempts?: number; encrypter?: Encrypter } = {},
): Promise<DeliveryOutcome> {
  const delivery = await db.alertDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery) return { status: "GONE", attempt: 0 }; // its destination was removed
  if (delivery.status === "SENT" || delivery.status === "FAILED") {
    return { status: delivery.status, attempt: delivery.attempts };
  }
  const maxAttempts = opts.maxAttempts ?? MAX_ATTEMPTS;
  let error: string | undefined;
  let permanent = false;
  try {
    const destination = await loadSendable(db, delivery.destinationId, opts.encrypter);
    if (!destination) return { status: "GONE", attempt: delivery.attempts };
    await sendAlert(destination, delivery.payload as unknown as AlertPayload);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    permanent = err instanceof PermanentDeliveryError;
  }
  const attempt = delivery.attempts + 1;
  const status = !error ? "SENT" : permanent || attempt >= maxAttempts ? "FAILED" : "RETRYING";
  await db.$transaction([
    db.alertDelivery.update({
      where: { id: deliveryId },
      data: {
        attempts: attempt,
        status,
        lastError: error ?? null,
        sentAt: status === "SENT" ? new Date() : null,
      },
    }),
    db.alertDeliveryAttempt.create({ data: { deliveryId, attempt, ok: !error, error: error ?? null } }),
  ]);
  return { status, attempt, error };
}

/**
 * "Send test": a test message to the destination, sent at once (one attempt, in the delivery log),
 * audited with the message's creation. Returns the outcome for the caller to show.
 */
export async function sendTestMessage(
  db: PrismaClient,
  destinationId: string,
  actor: Actor,
  opts: { origin?: string; encrypter?: Encrypter } = {},
): Promise<DeliveryOutcome & { deliveryId: string }> {
  const id = randomUUID();
  await db.$transaction(async (tx) => {
    const destination = await tx.alertDestination.findUnique({ where: { id: destinationId } });
    if (!destination) throw new DestinationNotFoundError();
    const payload = testPayload(id, destination.name, opts.origin ?? consoleOrigin());
    await tx.alertDelivery.create({
      data: {
        id,
        destinationId,
        isTest: true,
        title: payload.title,
        payload: payload as unknown as Prisma.InputJsonValue,
      },
    });
    await audit(tx, {
      ...actor,
      action: "alert.destination.test",
      target: destinationId,
      details: { delivery: id, name: destination.name },
    });
  });
  const outcome = await attemptDelivery(db, id, { maxAttempts: 1, encrypter: opts.encrypter });
  return { ...outcome, deliveryId: id };
}
