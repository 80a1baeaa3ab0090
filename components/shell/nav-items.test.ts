import { describe, expect, it } from "vitest";
import { isCurrentNavItem, NAV_ITEMS } from "./nav-items";

const current = (pathname: string) =>
  NAV_ITEMS.filter((item) => isCurrentNavItem(item, pathname)).map((item) => item.label);

describe("isCurrentNavItem", () => {
  it("marks exactly one item on each page of the nav", () => {
    expect(current("/")).toEqual(["Overview"]);
    expect(current("/insights/kms-key-rotation")).toEqual(["Key rotation"]);
    expect(current("/scans")).toEqual(["Scans"]);
    expect(current("/audit")).toEqual(["Audit log"]);
    expect(current("/exceptions")).toEqual(["Exceptions"]);
    expect(current("/coverage")).toEqual(["Coverage"]);
  });

  it("marks the section for a page below it, and nothing for a page outside the nav", () => {
    expect(current("/users/abc")).toEqual(["Users"]);
    expect(current("/exceptions/new")).toEqual(["Exceptions"]);
    expect(current("/fixes/abc")).toEqual(["Fixes"]);
    expect(current("/keys/abc")).toEqual([]);
    expect(current("/scansx")).toEqual([]);
  });
});
