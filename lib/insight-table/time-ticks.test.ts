import { describe, expect, it } from "vitest";
import { scanLabels, timeAxis } from "./time-ticks";

const at = (iso: string) => Date.parse(iso);

describe("timeAxis", () => {
  it("gives a lone scan an axis of an hour either side, ticked on the hour", () => {
    const axis = timeAxis([at("2026-11-30T08:15:00Z")]);
    expect(axis.domain).toEqual([at("2026-11-30T07:15:00Z"), at("2026-11-30T09:15:00Z")]);
    expect(axis.ticks.map((t) => t.label)).toEqual(["08:00", "09:00"]);
  });

  it("labels a hundred daily scans with a few whole days, in order, none repeated", () => {
    const times = Array.from({ length: 100 }, (_, i) => at("2026-08-24T03:00:00Z") + i * 86_400_000);
    const axis = timeAxis(times);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
    const values = axis.ticks.map((t) => t.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(axis.ticks.map((t) => t.label)).size).toBe(axis.ticks.length);
    for (const t of axis.ticks) {
      expect(t.value).toBeGreaterThanOrEqual(axis.domain[0]);
      expect(t.value).toBeLessThanOrEqual(axis.domain[1]);
      expect(t.value % 86_400_000).toBe(0);
      expect(t.label).toMatch(/^\d{1,2} [A-Z][a-z]{2}$/);
    }
  });

  it("labels scans of one day by the hour, and of several days with the date too", () => {
    const oneDay = timeAxis([
      at("2026-11-30T01:10:00Z"),
      at("2026-11-30T05:00:00Z"),
      at("2026-11-30T09:40:00Z"),
    ]);
    expect(oneDay.ticks.map((t) => t.label)).toEqual(["02:00", "04:00", "06:00", "08:00"]);
    const twoDays = timeAxis([at("2026-11-29T20:00:00Z"), at("2026-11-30T20:00:00Z")]);
    expect(twoDays.ticks[0]!.label).toMatch(/^(29|30) Nov \d\d:00$/);
  });

  it("has nothing to draw without scans", () => {
    expect(timeAxis([]).ticks).toEqual([]);
  });
});

describe("scanLabels", () => {
  it("says as little as tells the scans apart", () => {
    const a = at("2026-11-29T08:15:00Z");
    const b = at("2026-11-30T08:15:00Z");
    const c = at("2026-11-30T14:00:00Z");
    expect(scanLabels([b, c])).toEqual(["08:15", "14:00"]);
    expect(scanLabels([a, b])).toEqual(["29 Nov", "30 Nov"]);
    expect(scanLabels([a, b, c])).toEqual(["29 Nov 08:15", "30 Nov 08:15", "30 Nov 14:00"]);
  });
});
