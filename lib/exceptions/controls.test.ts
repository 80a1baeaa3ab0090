import { describe, expect, it } from "vitest";
import { exceptionControls, mayPropose } from "./controls";

const pending = { state: "pending" as const, createdByEmail: "ana@x.test", ownerEmail: "ana@x.test" };

describe("exceptionControls", () => {
  it("offers a viewer nothing and an analyst no approval", () => {
    expect(exceptionControls({ email: "v@x.test", role: "viewer" }, pending)).toEqual({
      approve: false,
      revoke: false,
      change: false,
    });
    expect(exceptionControls({ email: "ana@x.test", role: "analyst" }, pending)).toEqual({
      approve: false,
      revoke: true,
      change: true,
    });
    expect(mayPropose("viewer")).toBe(false);
    expect(mayPropose("analyst")).toBe(true);
  });

  it("offers an admin approval of another's pending exception only, and an analyst only their own", () => {
    expect(exceptionControls({ email: "adm@x.test", role: "admin" }, pending).approve).toBe(true);
    expect(
      exceptionControls({ email: "adm@x.test", role: "admin" }, { ...pending, createdByEmail: "adm@x.test" })
        .approve,
    ).toBe(false);
    expect(exceptionControls({ email: "bob@x.test", role: "analyst" }, pending).revoke).toBe(false);
  });

  it("offers nothing on an exception that ended", () => {
    for (const state of ["expired", "revoked", "superseded"] as const)
      expect(exceptionControls({ email: "adm@x.test", role: "admin" }, { ...pending, state })).toEqual({
        approve: false,
        revoke: false,
        change: false,
      });
  });
});
