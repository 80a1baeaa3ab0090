import type { AlertPayload } from "./payload";

// The Slack and email forms of an alert message, made from its payload (payload.ts): counts, the
// worst items first, and a link to the filtered page.

const SEVERITY_WORD = { CRITICAL: "Critical", WARNING: "Warning" } as const;

/** One line per listed item, plain text. */
function itemLines(p: AlertPayload): string[] {
  return [
    ...p.findings.map(
      (f) =>
        `${SEVERITY_WORD[f.severity]}${f.change ? ` (${f.change === "NEW" ? "new" : "reopened"})` : ""}: ` +
        `${f.alias ?? f.keyId}, ${f.accountName} (${f.accountId}) ${f.region}: ${f.description}` +
        (f.dueAt ? ` Due ${f.dueAt.slice(0, 10)}.` : ""),
    ),
    ...p.exceptions.map(
      (x) =>
        `Exception ${x.id} ends ${x.expiresAt.slice(0, 10)} (${x.findings} findings, owner ${x.ownerEmail}): ${x.justification}`,
    ),
    ...p.failedTargets.map((t) => `${t.accountId} ${t.region}: ${t.error ?? "failed"}`),
  ];
}

function countsLine(p: AlertPayload): string | null {
  if (!p.findings.length) return null;
  return `Critical: ${p.counts.CRITICAL}  ·  Warning: ${p.counts.WARNING}`;
}

/** Slack's mrkdwn needs &, < and > escaped in text that is not a link. */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A Slack incoming webhook message: `text` for notifications, Block Kit blocks for the channel. */
export function slackMessage(p: AlertPayload) {
  const counts = countsLine(p);
  const lines = [
    ...p.findings.map(
      (f) =>
        `• *${SEVERITY_WORD[f.severity]}*${f.change ? ` (${f.change === "NEW" ? "new" : "reopened"})` : ""} ` +
        `<${f.link}|${slackEscape(f.alias ?? f.keyId)}> ${slackEscape(`${f.accountName} (${f.accountId}) ${f.region}`)}` +
        (f.dueAt ? `, due ${f.dueAt.slice(0, 10)}` : ""),
    ),
    ...p.exceptions.map(
      (x) =>
        `• <${x.link}|Exception> ends ${x.expiresAt.slice(0, 10)}: ${slackEscape(x.justification)} ` +
        `(${x.findings} findings, ${slackEscape(x.ownerEmail)})`,
    ),
    ...p.failedTargets.map((t) => `• ${t.accountId} ${t.region}: ${slackEscape(t.error ?? "failed")}`),
    ...(p.more ? [`…and ${p.more} more`] : []),
  ];
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: p.title.slice(0, 150) } },
    { type: "section", text: { type: "mrkdwn", text: slackEscape(p.summary) } },
  ];
  if (counts) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: counts }] });
  // A section's text is at most 3000 characters.
  if (lines.length)
    blocks.push({ type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 2990) } });
  blocks.push({
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: "Open in KMS Insights" }, url: p.link }],
  });
  return { text: `${p.title}: ${p.summary}`, blocks };
}

const htmlEscape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An email: subject, plain text and a simple HTML part with the same content. */
export function emailMessage(p: AlertPayload): { subject: string; text: string; html: string } {
  const counts = countsLine(p);
  const items = itemLines(p);
  const more = p.more ? `…and ${p.more} more.` : null;
  const text = [
    p.summary,
    ...(counts ? ["", counts] : []),
    ...(items.length ? ["", ...items.map((l) => `- ${l}`)] : []),
    ...(more ? [more] : []),
    "",
    `Open in KMS Insights: ${p.link}`,
  ].join("\n");
  const html = [
    `<p>${htmlEscape(p.summary)}</p>`,
    counts ? `<p><strong>${htmlEscape(counts)}</strong></p>` : "",
    items.length ? `<ul>${items.map((l) => `<li>${htmlEscape(l)}</li>`).join("")}</ul>` : "",
    more ? `<p>${htmlEscape(more)}</p>` : "",
    `<p><a href="${htmlEscape(p.link)}">Open in KMS Insights</a></p>`,
  ].join("\n");
  return { subject: p.title, text, html };
}
