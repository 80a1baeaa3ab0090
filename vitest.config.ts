import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Integration test files that take minutes by themselves: the first `npm start` (it builds the
 * console) and the collector's scans of thousands of keys. Vitest orders the files it has no
 * timings of (a clean clone) largest first; these small files then started last and the run waited
 * for them alone. Started first, the other files fill the other workers around them.
 */
const LONG_RUNNING = ["lib/server/start.int.test.ts", "lib/collector/collector.int.test.ts"];

class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONG_RUNNING.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return i === -1 ? LONG_RUNNING.length : i;
    };
    // Array.prototype.sort is stable: the others keep Vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

// Unit tests (`*.test.ts`) are pure and fast; integration tests (`*.int.test.ts`) talk to a real
// PostgreSQL and to the KMS sandbox over HTTP through the real AWS SDK.
export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}test/server-only-stub.ts` } },
  test: {
    sequence: { sequencer: LongRunningFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".data/**"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Files are isolated (a database and a sandbox of their own each) and mostly wait on I/O.
          fileParallelism: true,
          maxWorkers: 3,
          // Our AWS SDK versions are locked; its notice about releases from 2027 needing Node 22
          // would only repeat in every test file.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "warn" },
        },
      },
    ],
  },
});
