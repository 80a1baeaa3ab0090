import { z } from "zod";
import { createRng, type Rng } from "./random";

const rate = z.number().min(0).max(1);

export const sandboxFaultsSchema = z.strictObject({
  /** Added to every call (KMS and STS) before it is answered. */
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  /** Share of KMS calls answered with ThrottlingException (400). */
  throttleRate: rate.optional(),
  /** Share of KMS calls answered with KMSInternalException (500). */
  serverErrorRate: rate.optional(),
  /** Share of KMS calls answered with DependencyTimeoutException (503). */
  dependencyTimeoutRate: rate.optional(),
  /** Share of KMS calls whose socket is destroyed without an answer. */
  dropRate: rate.optional(),
  /**
   * AccessDeniedException for the calls every listed criterion matches: accounts (all their calls),
   * operations (KMS operations, or "LookupEvents" for CloudTrail), keys (key ids or ARNs: every call
   * naming one of those keys).
   */
  accessDenied: z
    .strictObject({
      accounts: z.array(z.string()).optional(),
      operations: z.array(z.string()).optional(),
      keys: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  /** Odd but parseable answers: unknown enum values, missing optional fields, huge and odd tag values. */
  hostile: z.boolean().optional(),
  /** KMS operations (e.g. "ListAliases") that answer 200 with a truncated, unparseable JSON body. */
  malformedJsonOperations: z.array(z.string()).optional(),
  /** Seed of the random fault decisions (same seed and call order → same faults). */
  seed: z.union([z.string(), z.number()]).optional(),
});

export type SandboxFaults = z.infer<typeof sandboxFaultsSchema>;

export type FaultDecision =
  | { kind: "none" }
  | { kind: "drop" }
  | { kind: "throttle" }
  | { kind: "server-error" }
  | { kind: "dependency-timeout" }
  | { kind: "access-denied" }
  | { kind: "malformed" };

export class FaultInjector {
  private faults: SandboxFaults = {};
  private rng: Rng = createRng("faults");

  constructor(faults: SandboxFaults = {}) {
    this.set(faults);
  }

  /** Replaces the faults (validated) and restarts the fault random sequence. */
  set(faults: SandboxFaults): void {
    this.faults = sandboxFaultsSchema.parse(faults);
    this.rng = createRng(`faults/${this.faults.seed ?? 0}`);
  }

  get(): SandboxFaults {
    return structuredClone(this.faults);
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  get hostile(): boolean {
    return this.faults.hostile === true;
  }

  /** Decides the fate of one KMS (or CloudTrail) call. Random draws happen only for rates that are set. */
  decideKms(operation: string, accountId: string): FaultDecision {
    const f = this.faults;
    if (this.isDenied(operation, accountId)) return { kind: "access-denied" };
    if (this.roll(f.dropRate)) return { kind: "drop" };
    if (this.roll(f.throttleRate)) return { kind: "throttle" };
    if (this.roll(f.serverErrorRate)) return { kind: "server-error" };
    if (this.roll(f.dependencyTimeoutRate)) return { kind: "dependency-timeout" };
    if (f.malformedJsonOperations?.includes(operation)) return { kind: "malformed" };
    return { kind: "none" };
  }

  /** Whether the `accessDenied.keys` fault refuses this call on this key (id and ARN both match). */
  deniesKey(operation: string, accountId: string, key: { KeyId: string; Arn: string }): boolean {
    const keys = this.faults.accessDenied?.keys ?? [];
    if (!keys.includes(key.KeyId) && !keys.includes(key.Arn)) return false;
    return this.matchesAccountAndOperation(operation, accountId);
  }

  /** The call-level part of `accessDenied`; when keys are listed, only deniesKey can refuse. */
  private isDenied(operation: string, accountId: string): boolean {
    const denied = this.faults.accessDenied;
    if (!denied || (denied.keys ?? []).length > 0) return false;
    if ((denied.accounts ?? []).length === 0 && (denied.operations ?? []).length === 0) return false;
    return this.matchesAccountAndOperation(operation, accountId);
  }

  private matchesAccountAndOperation(operation: string, accountId: string): boolean {
    const accounts = this.faults.accessDenied?.accounts ?? [];
    const operations = this.faults.accessDenied?.operations ?? [];
    const accountMatches = accounts.length === 0 || accounts.includes(accountId);
    const operationMatches = operations.length === 0 || operations.includes(operation);
    return accountMatches && operationMatches;
  }

  private roll(probability: number | undefined): boolean {
    return probability !== undefined && probability > 0 && this.rng.next() < probability;
  }
}
