import { UsageError } from "./io";

// Every command's help in one layout: usage lines, a description, the options with their defaults.
// `kms-insights <command> --help` and `kms-insights help <command>` print it.

export interface CommandOption {
  flag: string;
  text: string;
  default?: string;
}

export interface CommandHelp {
  command: string;
  /** One line for the list of commands. */
  summary: string;
  /** What follows the program's name, one line per form; a line starting with spaces continues the one before. */
  usage: string[];
  description: string;
  options: CommandOption[];
}

export const PROGRAM = "kms-insights";
const HELP_OPTION: CommandOption = { flag: "-h, --help", text: "show this help" };
const WIDTH = 100;

function wrap(text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(indent + line);
  }
  return lines;
}

export function formatHelp(help: CommandHelp): string {
  const options = [...help.options, HELP_OPTION];
  const column = Math.min(Math.max(...options.map((o) => o.flag.length)) + 4, 34);
  const optionLines = options.flatMap((o) => {
    const text = o.default === undefined ? o.text : `${o.text} (default: ${o.default})`;
    const [first, ...rest] = wrap(text, " ".repeat(column));
    if (o.flag.length + 2 >= column) return [`  ${o.flag}`, first!, ...rest];
    return [`  ${o.flag.padEnd(column - 2)}${first!.trimStart()}`, ...rest];
  });
  return [
    // A line that starts with spaces continues the one before it.
    ...help.usage.map((u, i) =>
      /^\s/.test(u)
        ? `${" ".repeat(7 + PROGRAM.length)}${u}`
        : `${i === 0 ? "Usage:" : "      "} ${PROGRAM} ${u}`,
    ),
    "",
    ...wrap(help.description, ""),
    "",
    "Options:",
    ...optionLines,
  ].join("\n");
}

/** `--help` or `-h` anywhere among a command's arguments. */
export function isHelpRequest(argv: string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

/** The usage error of a command called without one of its subcommands, or with an unknown one. */
export function unknownSubcommand(command: string, given: string | undefined, known: string[]): UsageError {
  const list = known.length > 1 ? `${known.slice(0, -1).join(", ")} or ${known.at(-1)}` : known[0];
  return new UsageError(
    (given ? `Unknown ${command} command "${given}": use ${list}.` : `Give a ${command} command: ${list}.`) +
      ` Run \`${PROGRAM} help ${command}\` for the usage.`,
  );
}

/**
 * The first option in `argv` that the command's help does not list, checked before the database
 * is opened (the command's own parser checks again, with the values).
 */
export function unknownOption(help: CommandHelp, argv: string[]): string | undefined {
  const takesValue = new Map(
    help.options.flatMap((o) =>
      o.flag.split(/,\s*/).map((f) => [f.split(" ")[0]!, f.includes(" ")] as const),
    ),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") return undefined;
    if (!arg.startsWith("-") || arg === "-") continue;
    const name = arg.split("=")[0]!;
    if (!takesValue.has(name)) return name;
    if (takesValue.get(name) && !arg.includes("=")) i++;
  }
  return undefined;
}
