"use client";

// A client component for its text's sake: the explanation travels in the page's script (cached
// by the browser), not again in every view's payload.
import { SeverityBadge } from "@/components/insights/severity-badge";
import { PageHeader } from "@/components/shell/page-header";
import { ExternalLink } from "@/components/ui/external-link";
import type { Severity } from "@/lib/verdict/types";
import { WhatThisChecks } from "./what-this-checks";

const READ_MORE = [
  {
    href: "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    label: "Rotating AWS KMS keys",
  },
  { href: "https://aws.amazon.com/kms/faqs/", label: "AWS KMS FAQs" },
];

const MEANINGS: Record<Severity, string> = {
  CRITICAL:
    "An enabled customer managed key with automatic rotation turned off: KMS never rotates its material.",
  WARNING:
    "Needs a look: rotation is on but less often than the policy's maximum period, imported material is older than that period, a disabled key has rotation off, or the rotation status could not be read.",
  OK: "Rotated in time: rotation is on within the policy's maximum period (365 days unless an admin changed it), the key is AWS managed (AWS rotates it every year), or imported material is recent.",
  NOT_APPLICABLE:
    "Automatic rotation does not apply: asymmetric and HMAC keys, keys in a custom key store, keys pending deletion or not usable. Hidden unless chosen in the Severity filter.",
};

/**
 * The page's title and one line about the check; what it checks, why it matters and what each
 * severity means fold out under "What this checks", so that the table starts on the first screen.
 */
export function InsightIntro({ slaDays }: { slaDays: Record<"CRITICAL" | "WARNING", number> }) {
  return (
    <div className="space-y-1">
      <PageHeader title="KMS key rotation" />
      <WhatThisChecks summary="KMS keys whose material is not rotated automatically, or not often enough.">
        <p className="max-w-3xl">
          Checks every KMS key in every configured account and region: is its key material rotated
          automatically, and often enough? Rotation limits how much data one piece of key material protects
          and how long a leaked one stays useful. KMS keeps the old material, so rotating never breaks
          decryption; the key id, ARN and policies stay the same.
        </p>
        <p>
          Read more:{" "}
          {READ_MORE.map((link, i) => (
            <span key={link.href}>
              {i > 0 && " · "}
              <ExternalLink href={link.href}>{link.label}</ExternalLink>
            </span>
          ))}
        </p>
        <dl className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4" aria-label="What each severity means">
          {(Object.keys(MEANINGS) as Severity[]).map((severity) => (
            <div key={severity} className="rounded-md border border-border p-3">
              <dt>
                <SeverityBadge severity={severity} />
              </dt>
              <dd className="mt-1.5 text-muted-foreground">{MEANINGS[severity]}</dd>
            </div>
          ))}
        </dl>
        <AboutTriage slaDays={slaDays} />
      </WhatThisChecks>
    </div>
  );
}

/** Statuses, exceptions and due dates in a few plain sentences, folded away until asked for. */
function AboutTriage({ slaDays }: { slaDays: Record<"CRITICAL" | "WARNING", number> }) {
  return (
    <details className="rounded-md border border-border p-3">
      <summary className="cursor-pointer font-medium">About statuses, exceptions and due dates</summary>
      <div className="mt-2 space-y-2 text-muted-foreground">
        <p>
          <strong className="text-foreground">Statuses.</strong> A key that fails the check (critical or
          warning) is <em>open</em>, or <em>excepted</em> when an exception covers it. A key that failed
          before and passes now (or was deleted) is <em>resolved</em>; one that never failed is{" "}
          <em>passing</em>. The table shows every status but excepted unless you choose otherwise.
        </p>
        <p>
          <strong className="text-foreground">Exceptions.</strong> An analyst or an admin can except a failing
          key as an accepted risk or a false positive, with a justification, an owner and an expiry of at most
          a year. Excepted findings leave the open counts until the exception expires or is revoked; then they
          are open again, marked &ldquo;exception expired on&rdquo; that day.
        </p>
        <p>
          <strong className="text-foreground">Due dates.</strong> A finding is due {slaDays.CRITICAL} days
          (critical) or {slaDays.WARNING} days (warning) after it started failing; an admin sets these on the
          Settings page. An open finding past its due date is <em>overdue</em>; an excepted one is not while
          its exception holds. <em>Open for</em> counts the days since the finding started failing.
        </p>
      </div>
    </details>
  );
}
