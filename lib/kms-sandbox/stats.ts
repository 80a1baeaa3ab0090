export interface SandboxStats {
  since: string;
  /** Requests that named an operation (KMS and STS), faulted or not. */
  calls: number;
  byOperation: Record<string, number>;
  byAccount: Record<string, number>;
  byRegion: Record<string, number>;
  /** Error answers by error code (including injected ones). */
  errors: Record<string, number>;
  faults: {
    throttled: number;
    serverErrors: number;
    dependencyTimeouts: number;
    dropped: number;
    accessDenied: number;
    malformed: number;
  };
  inFlight: number;
  peakInFlight: number;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class StatsRecorder {
  private stats: SandboxStats = StatsRecorder.empty(0);

  private static empty(inFlight: number): SandboxStats {
    return {
      since: new Date().toISOString(),
      calls: 0,
      byOperation: {},
      byAccount: {},
      byRegion: {},
      errors: {},
      faults: {
        throttled: 0,
        serverErrors: 0,
        dependencyTimeouts: 0,
        dropped: 0,
        accessDenied: 0,
        malformed: 0,
      },
      inFlight,
      peakInFlight: inFlight,
    };
  }

  requestStarted(): void {
    this.stats.inFlight++;
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.stats.inFlight);
  }

  requestFinished(): void {
    this.stats.inFlight = Math.max(0, this.stats.inFlight - 1);
  }

  call(operation: string, accountId: string | undefined, region: string | undefined): void {
    this.stats.calls++;
    increment(this.stats.byOperation, operation);
    increment(this.stats.byAccount, accountId ?? "unknown");
    increment(this.stats.byRegion, region ?? "unknown");
  }

  error(code: string): void {
    increment(this.stats.errors, code);
  }

  fault(kind: keyof SandboxStats["faults"]): void {
    this.stats.faults[kind]++;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty(this.stats.inFlight);
  }
}
