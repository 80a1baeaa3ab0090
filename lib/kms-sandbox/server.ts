import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sandboxCredentialsFor, SessionStore } from "./credentials";
import { EnvelopeCrypto } from "./envelope-crypto";
import { EstateIndex } from "./estate-index";
import type { Estate } from "./estate-types";
import { FaultInjector, sandboxFaultsSchema, type SandboxFaults } from "./faults";
import { answerCloudTrail, isCloudTrailRequest } from "./cloudtrail-endpoint";
import { SeededTrail } from "./cloudtrail-history";
import { answerKms, type KmsEndpointDeps } from "./kms-endpoint";
import { MarkerCodec } from "./paging";
import { parseAuthorization } from "./sigv4-scope";
import { StatsRecorder, type SandboxStats } from "./stats";
import { WriteLog, type SandboxWrite } from "./write-log";
import { answerStsRequest } from "./sts-endpoint";
import { answerAccount, isAccountRequest } from "./account-endpoint";
import type { OrgServiceDeps, ServiceOutcome } from "./json-service";
import { OrganizationState } from "./organization-state";
import { answerOrganizations, isOrganizationsRequest } from "./organizations-endpoint";

export interface StartSandboxOptions {
  estate: Estate;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  faults?: SandboxFaults;
  /** See KmsCallContext.unsupportedRotationStatus. Default "error". */
  unsupportedRotationStatus?: "error" | "disabled";
}

export interface RunningSandbox {
  url: string;
  port: number;
  /** The live estate the sandbox serves: a copy of the one given, whose key rotations EnableKeyRotation changes. */
  estate: Estate;
  stop(): Promise<void>;
  stats(): SandboxStats;
  resetStats(): void;
  setFaults(faults: SandboxFaults): void;
  faults(): SandboxFaults;
  /** The writes applied so far (successful EnableKeyRotation, DisableKeyRotation), oldest first. */
  writes(): SandboxWrite[];
  /**
   * Makes a member leave the organization now (the generated leaver also leaves by itself after the
   * first complete ListAccounts). Throws a RangeError for the management account or a non-member.
   */
  organizationLeave(accountId: string): void;
  /** The members that have left the organization so far. */
  organizationLeft(): string[];
}

const MAX_BODY_BYTES = 1024 * 1024;
const ADMIN_PREFIX = "/__sandbox/";

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId?: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    ...(requestId ? { "x-amzn-RequestId": requestId } : {}),
    ...headers,
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, "application/json", JSON.stringify(value));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** STS calls are signed for "sts" and form-encoded; KMS calls carry X-Amz-Target. */
function isStsRequest(req: IncomingMessage): boolean {
  const service = parseAuthorization(req.headers.authorization)?.service;
  if (service) return service === "sts";
  return (
    req.headers["x-amz-target"] === undefined &&
    String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
  );
}

/**
 * A copy the sandbox may change: the served calls only ever replace a key's `rotation`, so keys and
 * their containers are copied and everything else (metadata, tags, dates) is shared read-only.
 * (structuredClone of a 10 000-key estate takes about a second.)
 */
function copyEstate(estate: Estate): Estate {
  return {
    ...estate,
    regions: [...estate.regions],
    accounts: estate.accounts.map((account) => ({
      ...account,
      regions: Object.fromEntries(
        Object.entries(account.regions).map(([region, content]) => [
          region,
          {
            aliases: [...content.aliases],
            keys: content.keys.map((key) => ({ ...key, rotation: { ...key.rotation } })),
          },
        ]),
      ),
    })),
  };
}

export async function startSandbox(options: StartSandboxOptions): Promise<RunningSandbox> {
  const estate = copyEstate(options.estate);
  const index = new EstateIndex(estate);
  const faults = new FaultInjector(options.faults ?? {});
  const stats = new StatsRecorder();
  const deps: KmsEndpointDeps = {
    index,
    sessions: new SessionStore(),
    markers: new MarkerCodec(`markers/${estate.seed}`),
    crypto: new EnvelopeCrypto(estate.seed),
    faults,
    stats,
    writes: new WriteLog(),
    unsupportedRotationStatus: options.unsupportedRotationStatus ?? "error",
  };
  const organization = estate.organization ? new OrganizationState(estate.organization) : undefined;
  const orgDeps: OrgServiceDeps = {
    index,
    sessions: deps.sessions,
    faults,
    stats,
    tokens: new MarkerCodec(`org-tokens/${estate.seed}`),
    ...(organization ? { organization } : {}),
  };
  const leave = (accountId: string) => {
    const problem = organization ? organization.leave(accountId) : "the estate has no organization";
    if (problem) throw new RangeError(problem);
  };
  // The seeded past comes from the estate as given, not from the copy that writes change.
  const cloudTrail = {
    ...deps,
    trail: new SeededTrail(options.estate),
    tokenSecret: `cloudtrail/${estate.seed}`,
  };

  function answerAdmin(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const route = `${req.method} ${req.url?.split("?")[0]}`;
    if (route === "GET /__sandbox/stats") return sendJson(res, 200, stats.snapshot());
    if (route === "POST /__sandbox/stats/reset") {
      stats.reset();
      return sendJson(res, 200, stats.snapshot());
    }
    if (route === "GET /__sandbox/faults") return sendJson(res, 200, faults.get());
    if (route === "POST /__sandbox/faults") {
      let parsed: ReturnType<typeof sandboxFaultsSchema.safeParse>;
      try {
        parsed = sandboxFaultsSchema.safeParse(JSON.parse(body.toString("utf8") || "{}"));
      } catch {
        return sendJson(res, 400, { error: "the body must be JSON" });
      }
      if (!parsed.success)
        return sendJson(res, 400, {
          error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        });
      faults.set(parsed.data);
      return sendJson(res, 200, faults.get());
    }
    if (route === "GET /__sandbox/writes") return sendJson(res, 200, deps.writes.list());
    if (route === "GET /__sandbox/organization")
      return organization
        ? sendJson(res, 200, { ...organization.organization, left: organization.leftAccounts() })
        : sendJson(res, 404, { error: "the estate has no organization" });
    if (route === "POST /__sandbox/organization/leave") {
      let accountId: unknown;
      try {
        accountId = (JSON.parse(body.toString("utf8") || "{}") as { accountId?: unknown }).accountId;
      } catch {
        return sendJson(res, 400, { error: "the body must be JSON" });
      }
      if (typeof accountId !== "string")
        return sendJson(res, 400, { error: "accountId: a string is needed" });
      try {
        leave(accountId);
      } catch (error) {
        return sendJson(res, 400, { error: (error as Error).message });
      }
      return sendJson(res, 200, { left: organization!.leftAccounts() });
    }
    if (route === "GET /__sandbox/accounts") {
      return sendJson(
        res,
        200,
        estate.accounts.map((a) => ({
          id: a.id,
          name: a.name,
          role: a.role ?? null,
          remediationRole: a.remediationRole ?? null,
          memberRole: a.memberRole ?? null,
          enabledOptInRegions: a.enabledOptInRegions ?? null,
          credentials: sandboxCredentialsFor(a.id),
          regions: Object.keys(a.regions),
        })),
      );
    }
    sendJson(res, 404, { error: `no sandbox route ${route}` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return sendJson(res, 413, { error: "request body too large" });
    if (req.url?.startsWith(ADMIN_PREFIX)) return answerAdmin(req, res, body);
    if (req.method !== "POST")
      return send(
        res,
        200,
        "text/plain",
        "kms-sandbox: POST KMS (X-Amz-Target: TrentService.*), CloudTrail (CloudTrail_20131101.LookupEvents), Organizations (AWSOrganizationsV20161128.*) and STS (Action=...) calls to /, Account API calls to /listRegions and /getRegionOptStatus\n",
      );

    const requestId = randomUUID();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (isStsRequest(req)) {
      const answer = answerStsRequest(deps, req.headers, body, requestId);
      return send(res, answer.status, "text/xml", answer.body, requestId);
    }
    const service: ServiceOutcome | undefined = isOrganizationsRequest(req.headers)
      ? answerOrganizations(orgDeps, req.headers, body)
      : isAccountRequest(req.url, req.headers)
        ? answerAccount(orgDeps, req.url, req.headers, body)
        : undefined;
    if (service?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (service) {
      const type = isOrganizationsRequest(req.headers) ? "application/x-amz-json-1.1" : "application/json";
      return send(res, service.status, type, service.body, requestId, service.headers);
    }
    const outcome = isCloudTrailRequest(req.headers)
      ? answerCloudTrail(cloudTrail, req.headers, body)
      : answerKms(deps, req.headers, body, req.socket.remoteAddress?.replace(/^::ffff:/, ""));
    if (outcome.kind === "drop") {
      req.socket.destroy();
      return;
    }
    send(res, outcome.status, "application/x-amz-json-1.1", outcome.body, requestId);
  }

  const server = createServer((req, res) => {
    if (!req.url?.startsWith(ADMIN_PREFIX)) {
      stats.requestStarted();
      res.on("close", () => stats.requestFinished());
    }
    handle(req, res).catch((error: unknown) => {
      console.error("kms-sandbox: request failed", error);
      if (!res.headersSent)
        send(
          res,
          500,
          "application/json",
          JSON.stringify({ __type: "KMSInternalException", message: "sandbox failure" }),
        );
    });
  });
  // SDK clients keep connections alive; a short server timeout would race them into ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const wildcard = address.address === "0.0.0.0" || address.address === "::";
  const host = wildcard ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    estate,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    stats: () => stats.snapshot(),
    writes: () => deps.writes.list(),
    resetStats: () => stats.reset(),
    setFaults: (next) => faults.set(next),
    faults: () => faults.get(),
    organizationLeave: leave,
    organizationLeft: () => organization?.leftAccounts() ?? [],
  };
}
