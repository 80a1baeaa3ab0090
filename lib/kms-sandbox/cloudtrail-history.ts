// The seeded past of an estate as CloudTrail would have it: who created, disabled, scheduled for
// deletion or changed the rotation of a key over the 90 days before the estate's `now`. Derived
// from the seed and each key's generated state only, so the same estate always has the same past.
import type { Estate, SandboxKey } from "./estate-types";
import { createRng, type Rng } from "./random";
import type { TrailEvent } from "./cloudtrail-record";
import type { Json } from "./kms-wire";

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;

interface Person {
  /** Role and session (assumed-role ARN) or an IAM user name. */
  role?: string;
  name: string;
  userAgent: string;
  addresses: string[];
}

const CONSOLE = "AWS Internal";
const CLI = "aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6";
const TERRAFORM =
  "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.80.0";

export const HISTORY_PEOPLE: readonly Person[] = [
  { role: "Admin", name: "jane.doe", userAgent: CONSOLE, addresses: ["203.0.113.24", "203.0.113.57"] },
  { role: "Admin", name: "raj.patel", userAgent: CLI, addresses: ["198.51.100.14"] },
  { role: "PlatformEngineer", name: "li.wei", userAgent: CONSOLE, addresses: ["203.0.113.88"] },
  { role: "TerraformDeploy", name: "ci-pipeline", userAgent: TERRAFORM, addresses: ["192.0.2.10"] },
  { name: "ops-break-glass", userAgent: CLI, addresses: ["198.51.100.201"] },
];

function principalArn(accountId: string, person: Person): string {
  return person.role
    ? `arn:aws:sts::${accountId}:assumed-role/${person.role}/${person.name}`
    : `arn:aws:iam::${accountId}:user/${person.name}`;
}

function accessKeyId(rng: Rng, person: Person): string {
  return `${person.role ? "ASIA" : "AKIA"}${rng.hex(16).toUpperCase()}`;
}

interface Step {
  eventName: string;
  requestParameters: Json | null;
  responseElements?: Json | null;
}

/** The changes a key's generated state tells of, oldest first (before the key's present state). */
function stepsFor(rng: Rng, key: SandboxKey, createdInWindow: boolean): Step[] {
  const m = key.metadata;
  const keyId = m.KeyId;
  const steps: Step[] = [];
  if (createdInWindow) {
    steps.push({
      eventName: "CreateKey",
      requestParameters: {
        keyUsage: m.KeyUsage,
        keySpec: m.KeySpec,
        origin: m.Origin,
        description: m.Description,
        multiRegion: m.MultiRegion,
        bypassPolicyLockoutSafetyCheck: false,
      },
      responseElements: {
        keyMetadata: { AWSAccountId: m.AWSAccountId, keyId, arn: m.Arn, keyState: "Enabled" },
      },
    });
  }
  if (rng.chance(0.3))
    steps.push({ eventName: "PutKeyPolicy", requestParameters: { keyId, policyName: "default" } });
  const rotatable =
    m.KeySpec === "SYMMETRIC_DEFAULT" &&
    m.Origin === "AWS_KMS" &&
    m.MultiRegionConfiguration?.MultiRegionKeyType !== "REPLICA";
  if (rotatable && key.rotation.enabled) {
    const period = key.rotation.periodInDays;
    steps.push({
      eventName: "EnableKeyRotation",
      requestParameters: period === undefined ? { keyId } : { keyId, rotationPeriodInDays: period },
    });
  }
  if (rotatable && !key.rotation.enabled) {
    // Turned on once, then off: the finding the console shows has a person behind it.
    if (rng.chance(0.5)) steps.push({ eventName: "EnableKeyRotation", requestParameters: { keyId } });
    steps.push({ eventName: "DisableKeyRotation", requestParameters: { keyId } });
  }
  if (m.KeyState === "Enabled" && rng.chance(0.15)) {
    steps.push({ eventName: "DisableKey", requestParameters: { keyId } });
    steps.push({ eventName: "EnableKey", requestParameters: { keyId } });
  }
  if (m.KeyState === "Disabled") {
    if (rng.chance(0.4)) {
      steps.push({ eventName: "ScheduleKeyDeletion", requestParameters: { keyId, pendingWindowInDays: 30 } });
      steps.push({ eventName: "CancelKeyDeletion", requestParameters: { keyId } });
    } else steps.push({ eventName: "DisableKey", requestParameters: { keyId } });
  }
  if (m.KeyState === "PendingDeletion") {
    const window = m.PendingDeletionWindowInDays ?? 30;
    steps.push({
      eventName: "ScheduleKeyDeletion",
      requestParameters: { keyId, pendingWindowInDays: window },
      responseElements: {
        keyId: m.Arn,
        keyState: "PendingDeletion",
        pendingWindowInDays: window,
        ...(m.DeletionDate ? { deletionDate: m.DeletionDate.toISOString() } : {}),
      },
    });
  }
  return steps;
}

/** Whether a key has a seeded past: most customer managed keys; always those with rotation off. */
function hasHistory(rng: Rng, key: SandboxKey): boolean {
  if (key.metadata.KeyManager !== "CUSTOMER") return false;
  if (key.scenario === "enabled-rotation-off") return true;
  return rng.chance(0.7);
}

function keyHistory(estate: Estate, key: SandboxKey): TrailEvent[] {
  const rng = createRng(`${estate.seed}/cloudtrail/${key.metadata.Arn}`);
  if (!hasHistory(rng, key)) return [];
  const now = estate.now.getTime();
  const windowStart = now - (HISTORY_DAYS - 1) * DAY_MS;
  const created = key.metadata.CreationDate.getTime();
  const createdInWindow = created >= windowStart && created < now;
  const steps = stepsFor(rng, key, createdInWindow);
  // Spread the steps in order between creation (or the window's start) and now.
  let at = Math.max(created, windowStart);
  const slice = (now - at) / (steps.length + 1);
  return steps.map((step, i) => {
    at = i === 0 && createdInWindow ? created : at + slice * (0.5 + rng.next() / 2);
    const person = step.eventName === "CreateKey" ? HISTORY_PEOPLE[3]! : rng.pick(HISTORY_PEOPLE);
    return {
      eventId: rng.uuid(),
      requestId: rng.uuid(),
      eventName: step.eventName,
      accountId: key.accountId,
      region: key.region,
      at: new Date(Math.min(Math.floor(at / 1000) * 1000, now - 1000)),
      principalArn: principalArn(key.accountId, person),
      accessKeyId: accessKeyId(rng, person),
      sourceIPAddress: rng.pick(person.addresses),
      userAgent: person.userAgent,
      keyArn: key.metadata.Arn,
      requestParameters: step.requestParameters,
      responseElements: step.responseElements ?? null,
    };
  });
}

/** The seeded events of one account+region, built on first use from the estate as generated. */
export class SeededTrail {
  private readonly cache = new Map<string, TrailEvent[]>();

  constructor(private readonly estate: Estate) {}

  events(accountId: string, region: string): TrailEvent[] {
    const cacheKey = `${accountId}/${region}`;
    let events = this.cache.get(cacheKey);
    if (!events) {
      const keys = this.estate.accounts.find((a) => a.id === accountId)?.regions[region]?.keys ?? [];
      events = keys.flatMap((key) => keyHistory(this.estate, key));
      this.cache.set(cacheKey, events);
    }
    return events;
  }
}
