import type { PrismaClient } from "@/lib/generated/prisma/client";
import { withPgClient } from "@/lib/db/with-client";
import { addExceptionRules } from "../exception-rules";
import { measureScan, printScan, type ScanFigures } from "./measure";
import { int, line, seconds } from "./report";
import type { SandboxHost } from "./sandbox-host";
import type { BenchWorkers } from "./workers";

// The scan's write with exception rules in force: each batch reads the rules that admit its
// account-region and gives every key the one that covers it and expires last. Two warm scans of
// the same estate, without rules and then with `count` rules (drawn from the keys the first scans
// stored, ../exception-rules.ts), compared by wall time, the time of one account-region (its
// writes included) and PostgreSQL's CPU, which is almost all the writes'.

export async function scanWithRules(
  workers: BenchWorkers,
  sandbox: SandboxHost,
  db: { url: string; dataDir: string | null },
  prisma: PrismaClient,
  count: number,
  printOpts: Parameters<typeof printScan>[2],
): Promise<void> {
  console.log(`\nexception rules: a warm scan without, then ${int(count)} rules, then a warm scan with them`);
  const without = await measureScan(workers, sandbox, db.dataDir);
  console.log(`\nwarm scan without exception rules: ${without.run.status}`);
  printScan(without, sandbox.needed, printOpts);
  const now = new Date();
  const added = await withPgClient(db.url, (client) =>
    addExceptionRules(client, prisma, { count, now, createdBy: now }),
  );
  console.log(
    `\n${int(added.inForce)} exception rules in force: ${int(added.keysCovered)} keys covered, ` +
      `${int(added.excepted)} findings excepted`,
  );
  const withRules = await measureScan(workers, sandbox, db.dataDir);
  console.log(`\nwarm scan with ${int(added.inForce)} exception rules: ${withRules.run.status}`);
  printScan(withRules, sandbox.needed, printOpts);
  const excepted = await prisma.kmsKey.count({ where: { status: "EXCEPTED", goneAt: null } });
  console.log(`\nwrite cost of the rules (with / without):`);
  compare("wall time", without, withRules, (f) => f.run.ms, seconds);
  compare(
    "one account-region, median",
    without,
    withRules,
    (f) => f.run.targetMs.median,
    (n) => `${n} ms`,
  );
  if (db.dataDir)
    compare(
      "PostgreSQL CPU",
      without,
      withRules,
      (f) => f.cpu.pg,
      (n) => `${n.toFixed(1)} s`,
    );
  else line("PostgreSQL CPU", "not measured (BENCH_DATABASE_URL: the server is not local)");
  line("findings excepted after the scan", int(excepted));
}

function compare(
  label: string,
  a: ScanFigures,
  b: ScanFigures,
  value: (f: ScanFigures) => number,
  show: (n: number) => string,
) {
  const [x, y] = [value(a), value(b)];
  line(label, `${show(x)} -> ${show(y)} (${(y / Math.max(x, 1e-9)).toFixed(2)}x)`);
}
