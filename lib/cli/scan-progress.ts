import type { ScanProgress } from "@/lib/scans/progress";
import { describeProgress } from "@/lib/scans/progress-wire";
import type { TerminalStream } from "./io";

const BAR_WIDTH = 24;
const CLEAR_LINE = "\r\x1b[2K";

/** `[########----------------] 3 of 6 account-regions done, 36 keys so far`, cut to the terminal's width. */
export function progressLine(p: ScanProgress, columns = 80): string {
  const filled = p.targetsTotal ? Math.round((BAR_WIDTH * p.targetsDone) / p.targetsTotal) : 0;
  const line = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${describeProgress(p)}`;
  return line.length >= columns ? line.slice(0, Math.max(columns - 1, 0)) : line;
}

/**
 * A one-line progress bar redrawn in place on a terminal. `end()` leaves the last state on its
 * own line, so that what is written next starts on a clean line.
 */
export function progressBar(stream: TerminalStream) {
  let last = "";
  return {
    draw(progress: ScanProgress) {
      const line = progressLine(progress, stream.columns);
      if (line === last) return;
      last = line;
      stream.write(CLEAR_LINE + line);
    },
    end() {
      if (last) stream.write("\n");
      last = "";
    },
  };
}
