import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatHelp, unknownOption, type CommandHelp } from "./help";
import { runCli, USAGE } from "./index";
import type { CliIO } from "./io";

// Help and argument errors are answered before the database is opened: these run with none.

function capture(): CliIO & { stdout: PassThrough; outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    outLines,
    errLines,
    out: (l) => outLines.push(l),
    err: (l) => errLines.push(l),
    stdin: new PassThrough(),
    stdout: new PassThrough(),
  };
}

async function cli(...argv: string[]) {
  const io = capture();
  const code = await runCli(argv, io);
  return { code, out: io.outLines.join("\n"), err: io.errLines.join("\n") };
}

const COMMANDS = ["users", "accounts", "scan", "exceptions", "secrets", "export", "sandbox"];

describe("the CLI's help", () => {
  it("lists every command, on stdout when asked for", async () => {
    const help = await cli("help");
    expect(help).toEqual({ code: 0, out: USAGE, err: "" });
    for (const command of COMMANDS) expect(USAGE).toMatch(new RegExp(`^  ${command}\\s+\\S`, "m"));
    expect(await cli("--help")).toEqual(help);
  });

  it("goes to stderr with exit 2 when no command is given", async () => {
    expect(await cli()).toEqual({ code: 2, out: "", err: USAGE });
  });

  it.each(COMMANDS)(
    "has one layout for %s: usage, description, options, the same text for --help and help",
    async (command) => {
      const viaFlag = await cli(command, "--help");
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.err).toBe("");
      expect(await cli(command, "-h")).toEqual(viaFlag);
      expect(await cli("help", command)).toEqual(viaFlag);
      const [usage, ...rest] = viaFlag.out.split("\n");
      expect(usage).toMatch(new RegExp(`^Usage: kms-insights ${command}\\b`));
      const blank = rest.indexOf("");
      expect(rest[blank + 1]).toMatch(/^[A-Za-z`]/); // the description
      const options = rest.slice(rest.indexOf("Options:") + 1);
      expect(options.length).toBeGreaterThan(0);
      expect(options.at(-1)).toMatch(/^ {2}-h, --help +show this help$/);
      // Every description starts in one column.
      const column = options.at(-1)!.indexOf("show this help");
      for (const line of options) expect(line.length > column && line[column - 1] === " ").toBe(true);
      for (const line of viaFlag.out.split("\n")) expect(line.length, line).toBeLessThanOrEqual(100);
      for (const line of options) expect(line).toMatch(/^ {2}(-|\s)/);
    },
  );

  it("answers an unknown command or option with one line on stderr and exit 2", async () => {
    expect(await cli("scna")).toEqual({
      code: 2,
      out: "",
      err: 'error: unknown command "scna". Run `kms-insights help` for the usage.',
    });
    expect(await cli("help", "scna")).toMatchObject({ code: 2, out: "" });
    expect(await cli("scan", "--acount", "111122223333")).toEqual({
      code: 2,
      out: "",
      err: 'error: unknown option "--acount" for scan. Run `kms-insights help scan` for the usage.',
    });
    expect(await cli("export", "--severity=CRITICAL", "--colour")).toMatchObject({
      code: 2,
      err: 'error: unknown option "--colour" for export. Run `kms-insights help export` for the usage.',
    });
  });
});

const SAMPLE: CommandHelp = {
  command: "demo",
  summary: "a sample",
  usage: ["demo --name NAME [--fast]", "demo list"],
  description: "Does a thing.",
  options: [
    { flag: "--name NAME", text: "the name", default: "x" },
    { flag: "--fast", text: "go fast" },
  ],
};

describe("formatHelp", () => {
  it("lays out usage lines, the description, and options with their defaults", () => {
    expect(formatHelp(SAMPLE)).toBe(
      [
        "Usage: kms-insights demo --name NAME [--fast]",
        "       kms-insights demo list",
        "",
        "Does a thing.",
        "",
        "Options:",
        "  --name NAME  the name (default: x)",
        "  --fast       go fast",
        "  -h, --help   show this help",
      ].join("\n"),
    );
  });
});

describe("unknownOption", () => {
  it("finds an option the help does not list, skipping the values of those that take one", () => {
    expect(unknownOption(SAMPLE, ["--name", "--fast"])).toBeUndefined(); // "--fast" is the name here
    expect(unknownOption(SAMPLE, ["--name=a", "--fast"])).toBeUndefined();
    expect(unknownOption(SAMPLE, ["list", "--fast", "--slow"])).toBe("--slow");
    expect(unknownOption(SAMPLE, ["--fast=1", "-x"])).toBe("-x");
    expect(unknownOption(SAMPLE, ["--", "--anything"])).toBeUndefined();
  });
});
