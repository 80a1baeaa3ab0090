import Link from "next/link";
import type { ExceptionDetail } from "@/lib/exceptions/list";
import { KEYS_SHOWN } from "@/lib/exceptions/list";
import { expiryDay } from "../../_components/exception-cells";

/** The keys the exception covers now, and the findings that opened again when it ended. */
export function ExceptionKeys({ detail }: { detail: ExceptionDetail }) {
  const { exception: x, coveredKeys, endedKeys } = detail;
  return (
    <section aria-labelledby="keys-heading" className="rounded-lg border border-border bg-card p-5 shadow-sm">
      <h2 id="keys-heading" className="mb-3 text-base font-semibold">
        Keys
      </h2>
      <p className="mb-2 text-sm">
        Covers {x.keysCovered === 1 ? "1 key" : `${x.keysCovered} keys`} now
        {x.keysCovered > KEYS_SHOWN ? ` (the first ${KEYS_SHOWN} listed)` : ""}.
      </p>
      {coveredKeys.length ? (
        <ul className="mb-4 list-inside list-disc text-sm" data-testid="covered-keys">
          {coveredKeys.map((k) => (
            <li key={k.id}>
              <Link href={`/keys/${k.id}`} className="text-primary underline">
                {k.keyId}
              </Link>{" "}
              <span className="text-muted-foreground">
                {k.accountId} · {k.region}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {endedKeys.length ? (
        <>
          <h3 className="mb-1 text-sm font-medium">Findings open again since it ended</h3>
          <ul className="list-inside list-disc text-sm" data-testid="ended-keys">
            {endedKeys.map((k) => (
              <li key={k.id}>
                <Link href={`/keys/${k.id}`} className="text-primary underline">
                  {k.keyId}
                </Link>{" "}
                <span className="text-muted-foreground">
                  {k.reason === "EXPIRED"
                    ? `exception expired on ${expiryDay(x.expiresAt)}`
                    : `exception revoked on ${expiryDay(k.at)}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
