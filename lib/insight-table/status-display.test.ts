import { describe, expect, it } from "vitest";
import { sampleRow } from "@/test/fixtures/sample-row";
import { statusDisplay } from "./status-display";

describe("statusDisplay", () => {
  it("marks an open finding past its due date overdue", () => {
    expect(statusDisplay(sampleRow)).toEqual({
      status: "open",
      label: "Open",
      overdue: true,
      note: "",
      detail: "Overdue: due 2026-10-31",
    });
    expect(statusDisplay({ ...sampleRow, overdue: false })).toMatchObject({ overdue: false, detail: "" });
  });

  it("says when the exception of a reopened finding expired", () => {
    const row = { ...sampleRow, overdue: false, exceptionExpiredAt: new Date("2026-11-20T00:00:00Z") };
    expect(statusDisplay(row)).toMatchObject({
      label: "Open",
      note: "exception expired on 2026-11-20",
    });
  });

  it("shows an excepted finding's exception: kind and expiry on the line, all of it in the tooltip", () => {
    const row = {
      ...sampleRow,
      status: "excepted" as const,
      overdue: false,
      exception: {
        id: "x1",
        kind: "false-positive" as const,
        justification: "Key wraps test data only",
        owner: "owner@example.com",
        expiresAt: new Date("2027-03-01T00:00:00Z"),
      },
    };
    expect(statusDisplay(row)).toEqual({
      status: "excepted",
      label: "Excepted",
      overdue: false,
      note: "False positive until 2027-03-01",
      detail: "False positive: Key wraps test data only\nOwner: owner@example.com\nExpires: 2027-03-01",
    });
  });

  it("says why a finding was resolved, and nothing for a passing one", () => {
    const resolved = { ...sampleRow, status: "resolved" as const, overdue: false };
    expect(statusDisplay({ ...resolved, resolvedReason: "KEY_DELETED" }).note).toBe("key deleted");
    expect(statusDisplay({ ...sampleRow, status: "passing", overdue: false })).toEqual({
      status: "passing",
      label: "Passing",
      overdue: false,
      note: "",
      detail: "",
    });
  });
});
