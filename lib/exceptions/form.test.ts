import { describe, expect, it } from "vitest";
import {
  checkExceptionForm,
  emptyExceptionForm,
  fieldErrors,
  readExceptionForm,
  toExceptionInput,
  withKeys,
} from "./form";
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

  it("checks the expiry against its limits from the day it is sent, beside the expiry", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    const form = (expires: string) => ({
      ...emptyExceptionForm("me@x.test", expires),
      justification: "why",
      keyArns: ARN,
    });
    expect(checkExceptionForm(form("2027-03-01"), now)).toEqual({});
    expect(checkExceptionForm(form("2026-12-02"), now)).toEqual({
      expires: ["The expiry must be in the future."],
    });
    expect(checkExceptionForm(form("2027-12-03"), now)).toEqual({
      expires: ["An exception lasts at most 365 days: choose an earlier expiry."],
    });
    expect(checkExceptionForm(form("2027-02-30"), now)).toEqual({
      expires: ["The expiry must be a date such as 2027-03-01."],
    });
    expect(checkExceptionForm({ ...form("2027-03-01"), ticketUrl: "javascript:alert(1)" }, now)).toEqual({
      ticketUrl: ["A ticket link must be an http:// or https:// address"],
    });
  });
});
