import { z } from "zod";
import { describe, expect, it } from "vitest";
import { fieldErrorsOf, formOptional, formText, formTexts, hasErrors } from "./form-values";

function form(fields: [string, string | Blob][]) {
  const data = new FormData();
  for (const [k, v] of fields) data.append(k, v);
  return data;
}

describe("reading a posted form", () => {
  const data = form([
    ["name", "Production"],
    ["blank", "  "],
    ["regions", "us-east-1"],
    ["regions", "eu-west-1"],
    ["file", new Blob(["x"])],
  ]);

  it("reads text as sent, and a missing field or a file as empty", () => {
    expect(formText(data, "name")).toBe("Production");
    expect(formText(data, "missing")).toBe("");
    expect(formText(data, "file")).toBe("");
  });

  it("reads a blank optional field as not given", () => {
    expect(formOptional(data, "name")).toBe("Production");
    expect(formOptional(data, "blank")).toBeUndefined();
    expect(formOptional(data, "missing")).toBeUndefined();
  });

  it("reads every value of repeated checkboxes, in order", () => {
    expect(formTexts(data, "regions")).toEqual(["us-east-1", "eu-west-1"]);
    expect(formTexts(data, "missing")).toEqual([]);
  });
});

describe("fieldErrorsOf", () => {
  const schema = z
    .object({ id: z.string().regex(/^\d{12}$/, "12 digits"), tags: z.array(z.string().min(1, "empty tag")) })
    .refine((v) => v.id !== "000000000000", "Not this one.");

  it("puts each message under the field its path starts with, the whole form's under 'form'", () => {
    const parsed = schema.safeParse({ id: "12", tags: ["a", ""] });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!.issues)).toEqual({ id: ["12 digits"], tags: ["empty tag"] });
    const whole = schema.safeParse({ id: "000000000000", tags: [] });
    expect(fieldErrorsOf(whole.error!.issues)).toEqual({ form: ["Not this one."] });
  });

  it("says whether anything is wrong", () => {
    expect(hasErrors({})).toBe(false);
    expect(hasErrors({ id: ["12 digits"] })).toBe(true);
  });
});
