import { randomUUID } from "node:crypto";

/** One write the sandbox applied (a successful EnableKeyRotation, DisableKeyRotation, ...). */
export interface SandboxWrite {
  eventId: string;
  eventName: string;
  accountId: string;
  region: string;
  keyArn: string;
  principalArn: string;
  at: Date;
  requestParameters: Record<string, unknown>;
  /** The caller's access key, address and User-Agent (what CloudTrail records of the call). */
  accessKeyId?: string;
  sourceIPAddress?: string;
  userAgent?: string;
}

// The writes the sandbox applied, in order: tests count them (a fix writes each key at most once)
// and they are the events a CloudTrail lookup serves.
export class WriteLog {
  private readonly entries: SandboxWrite[] = [];

  record(write: Omit<SandboxWrite, "eventId">): void {
    this.entries.push({ eventId: randomUUID(), ...write });
  }

  list(): SandboxWrite[] {
    return [...this.entries];
  }
}
