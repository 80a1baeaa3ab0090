import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The README and docs/ ship with the product: every link in them must resolve to a file of the
// repository, never to a sibling folder, an absolute path or another site.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Link targets of a Markdown text, outside code: [text](target), ![alt](target), [ref]: target, <url>. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
  const targets: string[] = [];
  for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(m[1]!);
  for (const m of prose.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)) targets.push(m[1]!);
  return targets;
}

/** What is wrong with each link of a file: leaving the repository, or naming a missing file. */
function linkProblems(file: string, markdown: string, root = ROOT): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (target.startsWith("#")) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("/")) {
      problems.push(`${file}: ${target} points outside the repository`);
      continue;
    }
    const resolved = path.resolve(
      path.dirname(path.join(root, file)),
      decodeURI(target.replace(/[?#].*$/, "")),
    );
    const relative = path.relative(root, resolved);
    if (relative.startsWith("..") || path.isAbsolute(relative)) {
      problems.push(`${file}: ${target} points outside the repository`);
    } else if (!existsSync(resolved)) {
      problems.push(`${file}: ${target} names a file that does not exist`);
    }
  }
  return problems;
}

const DOCS = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
  "docs/screenshots/README.md",
];

describe("links in README.md and docs/*.md", () => {
  it("finds links that leave the repository or name missing files, and none in the docs themselves", () => {
    const sample = [
      "The [rules](../shared/spec/kms-key-rotation.md), [AWS](https://aws.amazon.com/kms/), [x](/etc/passwd),",
      "[gone](docs/missing.md), [ok](README.md#first-start), ![shot](docs/screenshots/overview-desktop-light.png), [top](#security).",
      "[ref]: ../outside.md",
      "`[code](../not-a-link.md)`",
      "```",
      "[also code](../not-a-link.md)",
      "```",
    ].join("\n");
    expect(linkProblems("README.md", sample)).toEqual([
      "README.md: ../shared/spec/kms-key-rotation.md points outside the repository",
      "README.md: https://aws.amazon.com/kms/ points outside the repository",
      "README.md: /etc/passwd points outside the repository",
      "README.md: docs/missing.md names a file that does not exist",
      "README.md: ../outside.md points outside the repository",
    ]);
    expect(DOCS).toContain("docs/verdict-rules.md");
    expect(DOCS.flatMap((file) => linkProblems(file, readFileSync(path.join(ROOT, file), "utf8")))).toEqual(
      [],
    );
  });
});
