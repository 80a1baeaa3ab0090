-- A viewer limited to some accounts is marked as such, so that losing every scope row (its last
-- account removed) leaves it seeing no account instead of every account.
ALTER TABLE "users" ADD COLUMN "scoped" BOOLEAN NOT NULL DEFAULT false;

UPDATE "users" u SET "scoped" = true
WHERE EXISTS (SELECT 1 FROM "user_account_scopes" s WHERE s."user_id" = u."id");

-- An admin sees every account: never scoped (Prisma cannot express this check).
ALTER TABLE "users" ADD CONSTRAINT "users_admin_not_scoped" CHECK ("role" = 'VIEWER' OR NOT "scoped");
