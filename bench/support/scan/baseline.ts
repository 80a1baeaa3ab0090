import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// "Today's collector" beside the new one (issue 17): the commit before the collector-CPU work,
// extracted from this clone's history (git archive: read-only, no worktree registered) into a
// temporary directory that borrows this clone's node_modules and generated Prisma client (the
// schema is the same). Its `npm run worker` processes run from there against a database of
// their own, so one benchmark run times both collectors on the same sandbox and machine load.

export const BASELINE_REF = "5c60d96915806c5ff6f5193df56c77867f60a913";

export interface BaselineTree {
  ref: string;
  dir: string;
  remove(): Promise<void>;
}

export async function extractBaseline(ref: string): Promise<BaselineTree> {
  const root = process.cwd();
  const dir = await mkdtemp(path.join(os.tmpdir(), "kms-insights-baseline-"));
  try {
    const tar = execFileSync("git", ["archive", "--format=tar", ref], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `cannot extract the baseline collector ${ref} from git (a shallow clone lacks it; --baseline none skips it): ${(err as Error).message}`,
    );
  }
  await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  await cp(path.join(root, "lib/generated"), path.join(dir, "lib/generated"), { recursive: true });
  return { ref, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
