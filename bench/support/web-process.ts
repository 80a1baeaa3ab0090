import { readdirSync, readFileSync } from "node:fs";
import { treeCpuSeconds } from "./scan/proc";

// The web server's process under `npm start` (scripts/web.ts, a child of scripts/start.ts) and its
// CPU time, from /proc (Linux): CPU time per request is what stays comparable across machines.

function parentOf(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** The pid of the web server that `npm start` (startPid) runs; throws when there is none. */
export function webServerPid(startPid: number): number {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (parentOf(pid) === startPid && commandOf(pid).includes("scripts/web.ts")) return pid;
  }
  throw new Error(`no web server process under pid ${startPid}`);
}

/** CPU milliseconds the web server (and any child of it) has used so far. */
export const webCpuMs = (webPid: number) => treeCpuSeconds(webPid) * 1000;
