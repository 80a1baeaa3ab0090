import { startEmbeddedPostgres, ensureDatabase } from "./lib/db/embedded.ts";
const db = await startEmbeddedPostgres({ dataDir: "/work/benchpg", preferredPort: 5999 });
const admin = db.url.replace(/\/kms_insights$/, "");
await ensureDatabase(`${admin}/postgres`, "bench");
console.log("URL", `${admin}/bench`);
setInterval(() => {}, 1 << 30);
