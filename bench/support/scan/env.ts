import { randomBytes } from "node:crypto";

// Imported first by the benchmark: settings read when modules load (the logger's level) and
// secrets the collector needs, before anything else is imported.
process.env.LOG_LEVEL ??= "warn";
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
process.env.INSIGHTS_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
