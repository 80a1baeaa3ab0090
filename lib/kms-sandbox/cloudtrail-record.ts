// One CloudTrail management event of KMS, as LookupEvents serves it: the summary fields and the
// full record (CloudTrailEvent, a JSON string) in the format CloudTrail writes.
import { roleId, staticUserId } from "./credentials";
import type { Json } from "./kms-wire";

/** What the sandbox knows of an event before it is written out. */
export interface TrailEvent {
  eventId: string;
  requestId: string;
  eventName: string;
  accountId: string;
  region: string;
  at: Date;
  /** arn:aws:sts::<id>:assumed-role/<role>/<session> or arn:aws:iam::<id>:user/<name>. */
  principalArn: string;
  accessKeyId: string;
  sourceIPAddress: string;
  userAgent: string;
  keyArn: string;
  /** As CloudTrail writes them: camelCase member names. */
  requestParameters: Json | null;
  responseElements: Json | null;
}

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;
const IAM_USER = /^arn:aws[a-z-]*:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/;

/** The userIdentity block and the Username summary field of a principal. */
function identity(event: TrailEvent): { userIdentity: Json; username: string } {
  const role = ASSUMED_ROLE.exec(event.principalArn);
  if (role) {
    const [, accountId, roleName, session] = role as unknown as [string, string, string, string];
    const principalId = `${roleId(accountId)}:${session}`;
    return {
      username: session,
      userIdentity: {
        type: "AssumedRole",
        principalId,
        arn: event.principalArn,
        accountId,
        accessKeyId: event.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: roleId(accountId),
            arn: `arn:aws:iam::${accountId}:role/${roleName}`,
            accountId,
            userName: roleName,
          },
          attributes: { creationDate: event.at.toISOString(), mfaAuthenticated: "false" },
        },
      },
    };
  }
  const user = IAM_USER.exec(event.principalArn);
  const accountId = user?.[1] ?? event.accountId;
  const userName = user?.[2] ?? event.principalArn;
  return {
    username: userName,
    userIdentity: {
      type: "IAMUser",
      principalId: staticUserId(accountId),
      arn: event.principalArn,
      accountId,
      accessKeyId: event.accessKeyId,
      userName,
    },
  };
}

/** CloudTrail writes times without milliseconds. */
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The Events[] entry of LookupEvents (awsJson1_1: EventTime in epoch seconds). */
export function wireEvent(event: TrailEvent): Json {
  const { userIdentity, username } = identity(event);
  const record = {
    eventVersion: "1.10",
    userIdentity,
    eventTime: isoSeconds(event.at),
    eventSource: "kms.amazonaws.com",
    eventName: event.eventName,
    awsRegion: event.region,
    sourceIPAddress: event.sourceIPAddress,
    userAgent: event.userAgent,
    requestParameters: event.requestParameters,
    responseElements: event.responseElements,
    requestID: event.requestId,
    eventID: event.eventId,
    readOnly: false,
    resources: [{ accountId: event.accountId, type: "AWS::KMS::Key", ARN: event.keyArn }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: event.accountId,
    eventCategory: "Management",
  };
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: "false",
    AccessKeyId: event.accessKeyId,
    EventTime: Math.floor(event.at.getTime() / 1000),
    EventSource: "kms.amazonaws.com",
    Username: username,
    Resources: [{ ResourceType: "AWS::KMS::Key", ResourceName: event.keyArn }],
    CloudTrailEvent: JSON.stringify(record),
  };
}

/** The value a LookupAttributes key compares against. */
export function attributeOf(event: TrailEvent, key: string): string[] {
  switch (key) {
    case "EventId":
      return [event.eventId];
    case "EventName":
      return [event.eventName];
    case "ReadOnly":
      return ["false"];
    case "Username":
      return [identity(event).username];
    case "ResourceType":
      return ["AWS::KMS::Key"];
    case "ResourceName":
      return [event.keyArn];
    case "EventSource":
      return ["kms.amazonaws.com"];
    case "AccessKeyId":
      return [event.accessKeyId];
    default:
      return [];
  }
}

/** PascalCase API members (as the SDK sends them) to CloudTrail's camelCase, one level deep. */
export function camelCaseMembers(input: Record<string, unknown>): Json {
  return Object.fromEntries(
    Object.entries(input).map(([name, value]) => [name.charAt(0).toLowerCase() + name.slice(1), value]),
  );
}
