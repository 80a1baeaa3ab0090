import { defineConfig } from "prisma/config";

// The Prisma CLI is only used for `prisma generate` (run by postinstall). Migrations are plain SQL
// under prisma/migrations, applied by the app at start (lib/db/migrate.ts) and recorded in
// _prisma_migrations exactly as `prisma migrate deploy` would, so `prisma migrate status` agrees.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/kms_insights" },
});
