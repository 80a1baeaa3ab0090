import type { AlertDeliveryStatus, PrismaClient } from "@/lib/generated/prisma/client";

// The delivery log page: each message (a rule's digest or a test) with its status and attempts,
// newest first, filtered by status in the URL (`status=sent|failed|retrying|pending`, `page`).

export const DELIVERY_STATUSES = ["sent", "failed", "retrying", "pending"] as const;
export type DeliveryStatusParam = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_PAGE_SIZE = 50;

export interface DeliveryLogFilters {
  status: DeliveryStatusParam | null;
  page: number;
  /** What the parser could not use, in words. */
  notices: string[];
}

/** Never throws: a value it cannot use is dropped and named in a notice. */
export function parseDeliveryLogFilters(
  params: Record<string, string | string[] | undefined>,
): DeliveryLogFilters {
  const notices: string[] = [];
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const statusText = one(params.status);
  const status = DELIVERY_STATUSES.find((s) => s === statusText) ?? null;
  if (statusText && !status)
    notices.push(
      `Status "${statusText.slice(0, 40)}" is not one of ${DELIVERY_STATUSES.join(", ")}: showing all.`,
    );
  const pageText = one(params.page);
  const page = pageText && /^[1-9]\d{0,8}$/.test(pageText) ? Number(pageText) : 1;
  if (pageText && page === 1 && pageText !== "1")
    notices.push(`Page "${pageText.slice(0, 40)}" is not a page number: showing page 1.`);
  return { status, page, notices };
}

/** The page's URL for these filters (status, then page when not 1). */
export function deliveryLogHref(filters: Pick<DeliveryLogFilters, "status" | "page">): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.page > 1) params.set("page", String(filters.page));
  const query = params.toString();
  return query ? `/alerts/deliveries?${query}` : "/alerts/deliveries";
}

export interface DeliveryLogRow {
  id: string;
  createdAt: Date;
  title: string;
  isTest: boolean;
  destinationName: string;
  destinationKind: string;
  ruleName: string | null;
  scanId: string | null;
  status: AlertDeliveryStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  attemptLog: { attempt: number; at: Date; ok: boolean; error: string | null }[];
}

export async function fetchDeliveryLog(
  db: PrismaClient,
  filters: DeliveryLogFilters,
): Promise<{ rows: DeliveryLogRow[]; total: number }> {
  const where = filters.status ? { status: filters.status.toUpperCase() as AlertDeliveryStatus } : {};
  const [total, rows] = await Promise.all([
    db.alertDelivery.count({ where }),
    db.alertDelivery.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filters.page - 1) * DELIVERY_PAGE_SIZE,
      take: DELIVERY_PAGE_SIZE,
      include: {
        destination: { select: { name: true, kind: true } },
        rule: { select: { name: true } },
        attemptLog: {
          orderBy: { attempt: "asc" },
          select: { attempt: true, at: true, ok: true, error: true },
        },
      },
    }),
  ]);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      title: r.title,
      isTest: r.isTest,
      destinationName: r.destination.name,
      destinationKind: r.destination.kind,
      ruleName: r.rule?.name ?? null,
      scanId: r.scanId,
      status: r.status,
      attempts: r.attempts,
      lastError: r.lastError,
      sentAt: r.sentAt,
      attemptLog: r.attemptLog,
    })),
  };
}
