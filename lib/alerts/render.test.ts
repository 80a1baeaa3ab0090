import { describe, expect, it } from "vitest";
import { testPayload, type AlertPayload } from "./payload";
import { emailMessage, slackMessage } from "./render";

const payload: AlertPayload = {
  ...testPayload("d1", "x", "https://console.example.com"),
  type: "alert",
  title: "KMS Insights: 23 new or reopened findings (1 critical, 22 warning)",
  summary: "The scan found 23 new or reopened findings: 1 critical, 22 warning.",
  counts: { CRITICAL: 1, WARNING: 22 },
  total: 23,
  more: 22,
  link: "https://console.example.com/insights/kms-key-rotation?change=new",
  findings: [
    {
      id: "k1",
      keyArn: "arn:aws:kms:us-east-1:123456789012:key/k1",
      keyId: "k1",
      accountId: "123456789012",
      accountName: "Prod <core> & co",
      region: "us-east-1",
      alias: "alias/pay<ments>",
      severity: "CRITICAL",
      change: "REOPENED",
      reason: "ROTATION_DISABLED",
      description: "Automatic rotation is off.",
      failingSince: null,
      dueAt: "2027-01-01T00:00:00.000Z",
      link: "https://console.example.com/keys/k1",
    },
  ],
};

describe("alert messages", () => {
  it("Slack: counts, the worst keys linked, the rest counted, a button to the table; text escaped", () => {
    const message = slackMessage(payload);
    expect(message.text).toBe(`${payload.title}: ${payload.summary}`);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("Critical: 1  ·  Warning: 22");
    expect(text).toContain(
      "• *Critical* (reopened) <https://console.example.com/keys/k1|alias/pay&lt;ments&gt;> Prod &lt;core&gt; &amp; co (123456789012) us-east-1, due 2027-01-01",
    );
    expect(text).toContain("…and 22 more");
    expect(text).toContain('"url":"https://console.example.com/insights/kms-key-rotation?change=new"');
  });

  it("email: the same as text and as HTML, escaped", () => {
    const mail = emailMessage(payload);
    expect(mail.subject).toBe(payload.title);
    expect(mail.text).toContain(
      "- Critical (reopened): alias/pay<ments>, Prod <core> & co (123456789012) us-east-1: Automatic rotation is off. Due 2027-01-01.",
    );
    expect(mail.text).toContain("…and 22 more.");
    expect(mail.text).toContain(`Open in KMS Insights: ${payload.link}`);
    expect(mail.html).toContain("alias/pay&lt;ments&gt;, Prod &lt;core&gt; &amp; co");
    expect(mail.html).not.toContain("<core>");
  });
});
