// What to change in AWS so that a refused account-region can be scanned: the exact statement that is
// missing, built from the call that was refused. The console's principal comes from AWS's own
// message ("User: arn:… is not authorized to perform: …"); the external id is never shown (it is
// kept encrypted), only where it goes.

export interface CoverageFix {
  /** One sentence: where the statement goes. */
  summary: string;
  /** The statement as JSON, to copy. */
  statement: string;
}

const PRINCIPAL_PLACEHOLDER = "arn:aws:iam::<console-account-id>:role/<the role or user the console runs as>";

/** The caller's ARN in AWS's AccessDenied message, as a trust policy's principal (an assumed role's role). */
export function principalFromMessage(message: string | null): string | null {
  const caller = message?.match(/User: (arn:aws[a-z-]*:(?:iam|sts)::\d{12}:[^\s]+) is not authorized/)?.[1];
  if (!caller) return null;
  const session = caller.match(/^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : caller;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export function coverageFix(input: {
  call: string | null;
  message: string | null;
  roleArn: string | null;
  hasExternalId: boolean;
}): CoverageFix | null {
  const { call } = input;
  if (call === "sts:AssumeRole") {
    const principal = principalFromMessage(input.message) ?? PRINCIPAL_PLACEHOLDER;
    const statement: Record<string, unknown> = {
      Effect: "Allow",
      Principal: { AWS: principal },
      Action: "sts:AssumeRole",
    };
    if (input.hasExternalId)
      statement.Condition = {
        StringEquals: { "sts:ExternalId": "<the external id set for this account in the console>" },
      };
    return {
      summary: `Create the role ${input.roleArn ?? "named on the Accounts page"} if it is missing, and add this statement to its trust policy${input.hasExternalId ? " (the external id must be the one set for this account)" : ""}.`,
      statement: json(statement),
    };
  }
  if (call?.startsWith("kms:") || call?.startsWith("cloudtrail:")) {
    const scp = /explicit deny/i.test(input.message ?? "")
      ? " AWS says an explicit deny refuses it: look for a service control policy, permissions boundary or session policy that denies it."
      : "";
    return {
      summary: `Add this statement to the scanning role's permissions policy${input.roleArn ? ` (${input.roleArn})` : ""}, and allow the call in the key policies that do not defer to IAM.${scp}`,
      statement: json({ Sid: "KmsInsightsRead", Effect: "Allow", Action: call, Resource: "*" }),
    };
  }
  return null;
}
