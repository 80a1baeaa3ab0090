import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The layers (docs/architecture.md): app/ → components/ → lib/. lib/ knows nothing of React or the
// routes; components/ never reach into a route; production code never imports the KMS sandbox (the
// demo's endpoint and credentials arrive as configuration); only lib/config reads the environment.
const upward = (layer) => ({
  group: [`@/${layer}`, `@/${layer}/**`, `**/${layer}/**`],
  message: `This layer may not import ${layer}/ (see docs/architecture.md).`,
});
const sandbox = {
  group: ["@/lib/kms-sandbox", "@/lib/kms-sandbox/**", "**/kms-sandbox/**"],
  message:
    "Production code does not import the KMS sandbox: pass its endpoint and credentials as configuration.",
};
const tests = ["**/*.test.ts", "**/*.int.test.ts", "**/*.fixture.ts", "test/**", "e2e/**", "bench/**"];
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through lib/config/env.ts (one parsed, validated place).",
        },
      ],
    },
  },
  { files: ["app/**"], ignores: tests, rules: restrict(sandbox) },
  { files: ["components/**"], ignores: tests, rules: restrict(upward("app"), sandbox) },
  {
    files: ["lib/**"],
    ignores: [...tests, "lib/kms-sandbox/**"],
    rules: restrict(upward("app"), upward("components"), sandbox),
  },
  {
    // The two places that run the sandbox rather than call it: `npm start`'s demo mode and the
    // `sandbox` CLI command. The demo's address and credentials reach everything else as
    // configuration (lib/config/demo-sandbox.ts).
    files: ["lib/kms-sandbox/**", "lib/server/background.ts", "lib/cli/index.ts"],
    rules: restrict(upward("app"), upward("components")),
  },
  {
    // Integration tests render no React: `useFreshDatabase()` (test/db.ts) registers vitest hooks.
    files: ["**/*.int.test.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Where the environment is the input: the one config module, the launch scripts and tool configs,
    // benchmarks and tests.
    files: ["lib/config/env.ts", "scripts/**", "bench/**", "*.config.*", "next.config.js", ...tests],
    rules: { "no-restricted-properties": "off" },
  },
];

export default config;
