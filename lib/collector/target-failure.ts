import type { AccountAccess } from "@/lib/kms/clients";
import { describeError, errorCode } from "@/lib/kms/errors";

// Why an account-region could not be listed, as coverage shows it: the call that failed (as IAM
// names it: "sts:AssumeRole", "kms:ListKeys"), AWS's error code, and the message in words.

export interface TargetFailure {
  /** Null when the failure was not an AWS call (the account's endpoint refused, the database). */
  call: string | null;
  code: string | null;
  message: string;
}

export function failureOf(err: unknown, call: string | null = null): TargetFailure {
  return { call, code: errorCode(err), message: describeError(err) };
}

/**
 * The role could not be assumed: which role, AWS's answer, and what usually causes it, so that the
 * scan's summary says what to fix ("could not assume arn:…:role/X: AccessDenied — …").
 */
export function assumeRoleFailure(access: AccountAccess, err: unknown): TargetFailure {
  const code = errorCode(err);
  const why =
    code === "AccessDenied"
      ? access.externalId
        ? "the role is missing, or its trust policy does not allow this console's principal, or the external id differs"
        : "the role is missing, or its trust policy does not allow this console's principal (or it requires an external id)"
      : null;
  const answer = describeError(err);
  return {
    call: "sts:AssumeRole",
    code,
    message: `Could not assume ${access.roleArn ?? "the account's role"}: ${code ?? "error"}${why ? ` — ${why}` : ""}. AWS said: ${answer}`,
  };
}
