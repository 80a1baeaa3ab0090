import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

// The build's server actions, to call directly over HTTP as a hostile client would (without the
// page's buttons), so that only the server's checks stand in the way.

export interface ActionEntry {
  id: string;
  name: string;
  page: string;
}

export function serverActions(): ActionEntry[] {
  const dist = process.env.NEXT_DIST_DIR || ".next";
  const manifest = JSON.parse(
    readFileSync(path.join(dist, "server/server-reference-manifest.json"), "utf8"),
  ) as {
    node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "")
        .replace(/\[[^\]]+\]/g, "x") || "/";
    return { id, name: `${entry.filename}#${entry.exportedName}`, page };
  });
}

/** The action exported as `name` from a file whose path ends with `file`. */
export function serverAction(file: string, name: string): ActionEntry {
  const action = serverActions().find((a) => a.name.endsWith(`${file}#${name}`));
  if (!action) throw new Error(`no server action ${file}#${name}`);
  return action;
}

/**
 * Calls an action as its form would (React's reply encoding: the arguments in part "0", the
 * FormData's fields prefixed by its reference).
 */
export async function callActionWithForm(
  request: APIRequestContext,
  action: ActionEntry,
  fields: Record<string, string>,
) {
  // The root goes last, as React sends it: the server reads the fields it refers to before it.
  const multipart = new FormData();
  for (const [name, value] of Object.entries(fields)) multipart.append(`_1_${name}`, value);
  multipart.append("0", JSON.stringify([{ ok: false }, "$K1"]));
  const res = await request.post(action.page, {
    headers: { "Next-Action": action.id, Accept: "text/x-component" },
    multipart,
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
}
