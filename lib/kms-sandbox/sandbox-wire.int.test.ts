import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawKms } from "@/test/support/kms-sandbox";
import { generateEstate, keysIn } from "./estate";
import { startSandbox, type RunningSandbox } from "./server";

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    estate: generateEstate({ accounts: 1, regions: ["us-east-1"], keysPerRegion: 120, seed: 2 }),
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

const errorOf = async (answer: Promise<{ status: number; json: () => Record<string, unknown> }>) => {
  const { status, json } = await answer;
  return { status, type: json().__type };
};

describe("awsJson1_1 wire format", () => {
  it("answers with the JSON content type, a request id and an accurate Date header", async () => {
    const answer = await rawKms(sandbox, "ListKeys", {});
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const date = answer.headers.get("date");
    if (date !== null) expect(Math.abs(Date.parse(date) - Date.now())).toBeLessThan(5_000);
  });

  it("writes timestamps as epoch seconds (JSON numbers)", async () => {
    const key = keysIn(sandbox.estate, sandbox.estate.accounts[0]!.id, "us-east-1").find(
      (k) => k.scenario === "rotation-enabled-default",
    )!;
    const described = (await rawKms(sandbox, "DescribeKey", { KeyId: key.metadata.KeyId })).json();
    const metadata = described.KeyMetadata as Record<string, unknown>;
    expect(metadata.CreationDate).toBe(key.metadata.CreationDate.getTime() / 1000);
    const status = (await rawKms(sandbox, "GetKeyRotationStatus", { KeyId: key.metadata.KeyId })).json();
    expect(typeof status.NextRotationDate).toBe("number");
  });

  it("pages ListKeys: Truncated with NextMarker, then no NextMarker on the last page", async () => {
    const first = (await rawKms(sandbox, "ListKeys", {})).json();
    expect((first.Keys as unknown[]).length).toBe(100);
    expect(first.Truncated).toBe(true);
    const last = (await rawKms(sandbox, "ListKeys", { Marker: first.NextMarker })).json();
    expect((last.Keys as unknown[]).length).toBe(20);
    expect(last).not.toHaveProperty("NextMarker");
    expect(last.Truncated).toBe(false);
  });

  it("validates Limit per operation", async () => {
    const key = sandbox.estate.accounts[0]!.regions["us-east-1"]!.keys.find(
      (k) => k.metadata.KeySpec !== "SYMMETRIC_DEFAULT",
    )!.metadata.KeyId;
    for (const [operation, body] of [
      ["ListKeys", { Limit: 0 }],
      ["ListKeys", { Limit: 1001 }],
      ["ListAliases", { Limit: 101 }],
      ["ListResourceTags", { KeyId: key, Limit: 51 }],
      ["ListKeyRotations", { KeyId: key, Limit: 1001 }],
    ] as const) {
      expect(await errorOf(rawKms(sandbox, operation, body)), `${operation} ${JSON.stringify(body)}`).toEqual(
        { status: 400, type: "ValidationException" },
      );
    }
    expect((await rawKms(sandbox, "ListKeys", { Limit: 1000 })).json().Truncated).toBe(false);
  });

  it("rejects bad markers and markers of another operation with InvalidMarkerException", async () => {
    expect(await errorOf(rawKms(sandbox, "ListKeys", { Marker: "bm90LWEtbWFya2Vy" }))).toEqual({
      status: 400,
      type: "InvalidMarkerException",
    });
    const { NextMarker } = (await rawKms(sandbox, "ListKeys", { Limit: 2 })).json();
    expect(await errorOf(rawKms(sandbox, "ListAliases", { Marker: NextMarker }))).toEqual({
      status: 400,
      type: "InvalidMarkerException",
    });
  });

  it("rejects requests without Authorization, with the wrong Content-Type, bad JSON or an unknown operation", async () => {
    expect(await errorOf(rawKms(sandbox, "ListKeys", {}, { headers: { authorization: "" } }))).toEqual({
      status: 400,
      type: "MissingAuthenticationTokenException",
    });
    expect(
      await errorOf(rawKms(sandbox, "ListKeys", {}, { headers: { "content-type": "application/json" } })),
    ).toEqual({ status: 400, type: "SerializationException" });
    expect(await errorOf(rawKms(sandbox, "ListKeys", undefined, { rawBody: "{not json" }))).toEqual({
      status: 400,
      type: "SerializationException",
    });
    expect(await errorOf(rawKms(sandbox, "ListKeys", undefined, { rawBody: "[1,2]" }))).toEqual({
      status: 400,
      type: "SerializationException",
    });
    expect(await errorOf(rawKms(sandbox, "CreateKey", {}))).toEqual({
      status: 400,
      type: "UnknownOperationException",
    });
  });

  it("serves server errors with status 500 and the KMS error body", async () => {
    sandbox.setFaults({ serverErrorRate: 1 });
    const answer = await rawKms(sandbox, "ListKeys", {});
    sandbox.setFaults({});
    expect(answer.status).toBe(500);
    expect(answer.json()).toEqual({ __type: "KMSInternalException", message: expect.any(String) });
  });
});
