#!/usr/bin/env node
// `npx kms-insights …` (the package's bin): the CLI of scripts/cli.ts, run through tsx from the
// project's root, as `npm run cli` runs it, so that relative settings (INSIGHTS_DATA_DIR=.data)
// mean the same whatever the working directory. The CLI takes no file paths: output goes to stdout.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
register();
await import("./cli.ts");
