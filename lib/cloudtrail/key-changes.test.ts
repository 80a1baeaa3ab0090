import { describe, expect, it } from "vitest";
import { keyChangeInWords, toKeyChange } from "./key-changes";

const at = new Date("2026-11-20T10:00:00Z");
const record = (extra: Record<string, unknown>) =>
  JSON.stringify({
    userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/Admin/jane.doe" },
    sourceIPAddress: "203.0.113.24",
    awsRegion: "eu-west-1",
    ...extra,
  });

describe("toKeyChange", () => {
  it("reads principal, address, region and the period asked from the record", () => {
    expect(
      toKeyChange(
        {
          EventId: "e1",
          EventName: "EnableKeyRotation",
          EventTime: at,
          CloudTrailEvent: record({ requestParameters: { keyId: "k", rotationPeriodInDays: 180 } }),
        },
        "us-east-1",
      ),
    ).toEqual({
      eventId: "e1",
      eventName: "EnableKeyRotation",
      eventTime: at,
      region: "eu-west-1",
      principalArn: "arn:aws:sts::111122223333:assumed-role/Admin/jane.doe",
      sourceAddress: "203.0.113.24",
      rotationPeriodDays: 180,
    });
  });

  it("leaves out events that are not key changes or lack an id or a time", () => {
    expect(toKeyChange({ EventId: "e", EventName: "Decrypt", EventTime: at }, "us-east-1")).toBeNull();
    expect(toKeyChange({ EventName: "DisableKey", EventTime: at }, "us-east-1")).toBeNull();
    expect(toKeyChange({ EventId: "e", EventName: "DisableKey" }, "us-east-1")).toBeNull();
  });

  it("falls back to the summary fields when the record is missing, malformed or odd", () => {
    for (const CloudTrailEvent of [undefined, "{not json", "[]", record({ userIdentity: 5, awsRegion: 7 })]) {
      expect(
        toKeyChange(
          { EventId: "e", EventName: "DisableKeyRotation", EventTime: at, Username: "ops", CloudTrailEvent },
          "us-east-1",
        ),
      ).toMatchObject({ principalArn: "ops", region: "us-east-1", rotationPeriodDays: null });
    }
    expect(
      toKeyChange(
        {
          EventId: "e",
          EventName: "EnableKeyRotation",
          EventTime: at,
          CloudTrailEvent: record({ requestParameters: { rotationPeriodInDays: "soon" } }),
        },
        "us-east-1",
      ),
    ).toMatchObject({ rotationPeriodDays: null, principalArn: expect.stringContaining("jane.doe") });
  });
});

describe("keyChangeInWords", () => {
  it("says what happened", () => {
    expect(keyChangeInWords({ eventName: "DisableKeyRotation", rotationPeriodDays: null })).toBe(
      "Rotation turned off",
    );
    expect(keyChangeInWords({ eventName: "EnableKeyRotation", rotationPeriodDays: null })).toBe(
      "Rotation turned on, every 365 days",
    );
    expect(keyChangeInWords({ eventName: "EnableKeyRotation", rotationPeriodDays: 90 })).toBe(
      "Rotation turned on, every 90 days",
    );
  });
});
