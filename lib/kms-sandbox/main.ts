// tsx lib/kms-sandbox/main.ts --port 4566 --accounts 3 --regions us-east-1,eu-west-1 --keys 30 --seed 1
import { runSandboxCli } from "./cli";

process.exitCode = await runSandboxCli(process.argv.slice(2));
