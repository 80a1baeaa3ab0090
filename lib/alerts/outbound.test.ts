import { describe, expect, it } from "vitest";
import { destinationInputSchema } from "./destination-schema";
import { outboundRefusal, smtpRefusal } from "./outbound";
import { ruleInputSchema } from "./rule-schema";

const env = (list: string[]) => ({ INSIGHTS_ALLOWED_ENDPOINT_HOSTS: list });

describe("where alerts may go", () => {
  it("allows only the listed hosts (host, host:port, *.domain), and Slack's own host for Slack", () => {
    expect(outboundRefusal("https://hooks.example.com/x", "WEBHOOK", env(["hooks.example.com"]))).toBeNull();
    expect(outboundRefusal("https://a.corp.example/x", "WEBHOOK", env(["*.corp.example"]))).toBeNull();
    expect(outboundRefusal("http://10.0.0.5:8080/x", "WEBHOOK", env(["10.0.0.5:8080"]))).toBeNull();
    expect(outboundRefusal("http://10.0.0.5:9090/x", "WEBHOOK", env(["10.0.0.5:8080"]))).toMatch(
      /^10\.0\.0\.5 is not an allowed host/,
    );
    expect(outboundRefusal("http://169.254.169.254/latest", "WEBHOOK", env([]))).toBe(
      "169.254.169.254 is not an allowed host: alerts go only to the hosts the operator lists in INSIGHTS_ALLOWED_ENDPOINT_HOSTS.",
    );
    expect(outboundRefusal("https://hooks.slack.com/services/T/B/x", "SLACK", env([]))).toBeNull();
    expect(outboundRefusal("http://hooks.slack.com/services/T/B/x", "SLACK", env([]))).not.toBeNull();
    expect(outboundRefusal("https://hooks.slack.com/services/T/B/x", "WEBHOOK", env([]))).not.toBeNull();
    expect(outboundRefusal("ftp://example.com/", "WEBHOOK", env(["example.com"]))).toBe(
      "Use an http:// or https:// URL.",
    );
    expect(smtpRefusal("smtp.example.com", 587, env(["smtp.example.com"]))).toBeNull();
    expect(smtpRefusal("smtp.example.com", 25, env(["smtp.example.com:587"]))).toBe(
      "smtp.example.com:25 is not an allowed host: alerts go only to the hosts the operator lists in INSIGHTS_ALLOWED_ENDPOINT_HOSTS.",
    );
  });
});

describe("the forms' schemas", () => {
  it("say what is wrong with a destination in words, by field", () => {
    const result = destinationInputSchema.safeParse({
      kind: "EMAIL",
      name: "",
      host: "smtp.example.com",
      port: "99999",
      security: "ssl",
      from: "nobody",
      to: "a@example.com, not-an-address",
    });
    expect(result.success).toBe(false);
    const byField = Object.fromEntries(result.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(byField).toEqual({
      name: "Give the destination a name.",
      port: "A port is a number from 1 to 65535.",
      security: "Choose STARTTLS, TLS or none.",
      from: "Enter an email address.",
      to: "Enter an email address.",
    });
    expect(destinationInputSchema.safeParse({ kind: "PAGER", name: "x" }).error?.issues[0]?.message).toBe(
      "Choose webhook, Slack or email.",
    );
  });

  it("keep only what a rule's kind uses, and require what it needs", () => {
    expect(
      ruleInputSchema.parse({
        name: "Expiring",
        kind: "EXCEPTION_EXPIRING",
        destinationId: "d1",
        severities: ["CRITICAL"],
        accountIds: ["123456789012"],
        days: "30",
      }),
    ).toMatchObject({ severities: [], accountIds: [], days: 30, tagKey: null });
    const refused = ruleInputSchema.safeParse({
      name: "New",
      kind: "NEW_OR_REOPENED",
      destinationId: "d1",
      severities: [],
      ouIds: ["nope"],
      tagValue: "prod",
    });
    expect(refused.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["ouIds", "An OU id looks like ou-ab12-cdef3456."],
      ["severities", "Choose at least one severity."],
      ["tagKey", "A tag value needs its tag key."],
    ]);
  });
});
