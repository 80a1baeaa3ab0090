import { describe, expect, it } from "vitest";
import { emptyExceptionForm, fieldErrors, readExceptionForm, toExceptionInput, withKeys } from "./form";
import { newExceptionSchema } from "./schema";

const ARN = "arn:aws:kms:us-east-1:111111111111:key/abc";

function post(fields: [string, string][]) {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  return readExceptionForm(form);
}

const errorsOf = (fields: [string, string][]) => {
  const values = post(fields);
  const input = toExceptionInput(values);
  const parsed = newExceptionSchema.safeParse(input);
  return parsed.success ? {} : fieldErrors(parsed.error.issues, input, values.scopeMode);
};

describe("the exception form", () => {
  it("prefills the keys of repeated ?key= parameters, once each", () => {
    const v = withKeys(emptyExceptionForm("me@x.test", "2027-03-01"), [ARN, ` ${ARN} `, ""]);
    expect(v).toMatchObject({ scopeMode: "keys", keyArns: ARN, ownerEmail: "me@x.test" });
  });

  it("sends only the chosen kind of scope", () => {
    const common: [string, string][] = [
      ["keyArns", `${ARN}\n\n`],
      ["accounts", "111111111111"],
      ["tagKey", " team "],
      ["tagValues", "a\nb\n"],
    ];
    expect(toExceptionInput(post([["scopeMode", "keys"], ...common])).scope).toEqual({
      keyArns: [ARN],
      accounts: [],
      regions: [],
      tagKey: null,
      tagValues: [],
      aliasPrefix: null,
    });
    expect(toExceptionInput(post([["scopeMode", "rule"], ...common])).scope).toMatchObject({
      keyArns: [],
      accounts: ["111111111111"],
      tagKey: "team",
      tagValues: ["a", "b"],
    });
  });

  it("puts each complaint beside its field, naming the bad item of a list", () => {
    expect(
      errorsOf([
        ["kind", "accepted-risk"],
        ["justification", " "],
        ["ownerEmail", "me@x.test"],
        ["expires", "2027-03-01"],
        ["ticketUrl", "ftp://x"],
        ["scopeMode", "keys"],
        ["keyArns", `${ARN}\nnot-an-arn`],
      ]),
    ).toEqual({
      justification: ["A justification is required"],
      ticketUrl: ["A ticket link must be an http:// or https:// address"],
      keyArns: ["not-an-arn: not a KMS key ARN"],
    });
    // An empty rule is refused under the rule's first part, not under the hidden key list.
    expect(
      errorsOf([
        ["scopeMode", "rule"],
        ["kind", "bogus"],
      ]),
    ).toMatchObject({
      kind: ["Kind must be accepted-risk or false-positive"],
      accounts: ["Choose the keys, or a rule: accounts, regions, a tag or an alias prefix."],
    });
  });
});
