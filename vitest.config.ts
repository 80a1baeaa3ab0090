import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

// Unit tests (`*.test.ts`) are pure and fast; integration tests (`*.int.test.ts`) talk to a real
// PostgreSQL and to the KMS sandbox over HTTP through the real AWS SDK.
export default defineConfig({
  resolve: { alias: { "@": root, "server-only": `${root}test/server-only-stub.ts` } },
  test: {
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
