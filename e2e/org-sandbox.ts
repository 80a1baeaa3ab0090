// The organization sandbox of e2e/organizations.spec.ts, started by playwright.config.ts before the
// console: it writes the credentials file the console's profile reads (before the console starts,
// since the AWS SDK reads that file once per process), then serves the organization until stopped.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateEstate, sandboxCredentialsFor, startSandbox } from "../lib/kms-sandbox";
import { ORG_CREDENTIALS_FILE, ORG_PROFILE, ORG_SANDBOX_URL } from "../playwright.config";

const estate = generateEstate({
  accounts: 8,
  regions: ["us-east-1"],
  keysPerRegion: 2,
  seed: "e2e-org",
  organization: { ous: 4 },
});
const creds = sandboxCredentialsFor(estate.organization!.managementAccountId);
mkdirSync(path.dirname(ORG_CREDENTIALS_FILE), { recursive: true });
writeFileSync(
  ORG_CREDENTIALS_FILE,
  `[${ORG_PROFILE}]\naws_access_key_id = ${creds.accessKeyId}\naws_secret_access_key = ${creds.secretAccessKey}\n`,
);
chmodSync(ORG_CREDENTIALS_FILE, 0o600);
const sandbox = await startSandbox({ estate, port: Number(new URL(ORG_SANDBOX_URL).port) });
process.on("SIGTERM", () => void sandbox.stop().then(() => process.exit(0)));
process.on("SIGINT", () => void sandbox.stop().then(() => process.exit(0)));
