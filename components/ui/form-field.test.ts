import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tagsIn } from "@/test/support/markup";
import { FormField } from "./form-field";

describe("FormField", () => {
  it("ties the control to its label and hint, and keeps the value given", () => {
    const html = renderToStaticMarkup(
      createElement(FormField, {
        id: "account-id",
        label: "Account id",
        hint: "12 digits.",
        name: "id",
        defaultValue: "12",
      }),
    );
    expect(tagsIn(html, "label")[0]).toMatchObject({ for: "account-id" });
    expect(tagsIn(html, "input")[0]).toMatchObject({
      id: "account-id",
      name: "id",
      value: "12",
      "aria-invalid": "false",
      "aria-describedby": "account-id-hint",
    });
    expect(html).not.toContain("account-id-error");
  });

  it("shows its errors beside the control, which is marked invalid and described by them", () => {
    const html = renderToStaticMarkup(
      createElement(FormField, {
        id: "account-id",
        label: "Account id",
        errors: ["An AWS account id is exactly 12 digits."],
        describedBy: "form-message",
      }),
    );
    expect(tagsIn(html, "input")[0]).toMatchObject({
      "aria-invalid": "true",
      "aria-describedby": "form-message account-id-error",
    });
    expect(html).toMatch(/<p id="account-id-error"[^>]*>An AWS account id is exactly 12 digits.<\/p>/);
  });
});
