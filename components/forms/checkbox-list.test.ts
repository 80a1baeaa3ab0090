import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { tagsIn } from "@/test/support/markup";
import { CheckboxList } from "./checkbox-list";

const render = (props: Partial<Parameters<typeof CheckboxList>[0]>) =>
  renderToStaticMarkup(
    createElement(CheckboxList, {
      id: "regions",
      legend: "Regions",
      name: "regions",
      options: [
        ["us-east-1", "us-east-1"],
        ["eu-west-1", "eu-west-1"],
      ],
      value: ["eu-west-1"],
      onChange: () => {},
      ...props,
    }),
  );

describe("CheckboxList", () => {
  it("checks the chosen values and offers Select all and Clear, named for the list", () => {
    const html = render({});
    expect(html).toContain(">Regions</legend>");
    expect(tagsIn(html, "button").map((b) => [b.type, b["aria-label"]])).toEqual([
      ["button", "Select all regions"],
      ["button", "Clear regions"],
    ]);
    const boxes = tagsIn(html, "input");
    expect(boxes.map((b) => [b.name, b.value, "checked" in b])).toEqual([
      ["regions", "us-east-1", false],
      ["regions", "eu-west-1", true],
    ]);
    expect(boxes.every((b) => b["aria-invalid"] === "false" && !b["aria-describedby"])).toBe(true);
    expect(html.replace(/<!-- -->/g, "")).toContain("1 of 2 chosen");
  });

  it("marks every box invalid and described by the message beside the list", () => {
    const html = render({ errors: ["Choose at least one region."] });
    const boxes = tagsIn(html, "input");
    expect(boxes.map((b) => [b["aria-invalid"], b["aria-describedby"]])).toEqual([
      ["true", "regions-error"],
      ["true", "regions-error"],
    ]);
    expect(html).toMatch(/<p id="regions-error"[^>]*>Choose at least one region.<\/p>/);
  });

  it("greys out the whole list, buttons included, when disabled", () => {
    expect(tagsIn(render({ disabled: true }), "fieldset")[0]).toHaveProperty("disabled");
  });
});
