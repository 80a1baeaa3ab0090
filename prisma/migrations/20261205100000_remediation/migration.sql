-- Remediation (issue: fix it from the console). An account's remediation access is a separate
-- identity, used only for writes; the scanning access stays read-only.
ALTER TABLE "aws_accounts"
    ADD COLUMN "remediation_method" "AccessMethod",
    ADD COLUMN "remediation_profile" TEXT,
    ADD COLUMN "remediation_role_arn" TEXT,
    ADD COLUMN "remediation_external_id_cipher" TEXT;

CREATE TYPE "FixPlanKind" AS ENUM ('FIX', 'ROLLBACK');
CREATE TYPE "FixPlanStatus" AS ENUM ('PLANNED', 'APPROVED', 'RUNNING', 'COMPLETED', 'PARTIAL', 'FAILED', 'EXPIRED', 'CANCELLED');
CREATE TYPE "FixAction" AS ENUM ('ENABLE_ROTATION', 'DISABLE_ROTATION', 'SKIP');
CREATE TYPE "FixItemState" AS ENUM ('PENDING', 'DONE', 'FAILED', 'SKIPPED');

-- A stored plan: planned by an analyst or admin, approved by an admin (a second person unless the
-- setting allows otherwise), run through the job queue, each key read back after its write.
CREATE TABLE "fix_plans" (
    "id" TEXT NOT NULL,
    "kind" "FixPlanKind" NOT NULL DEFAULT 'FIX',
    "status" "FixPlanStatus" NOT NULL DEFAULT 'PLANNED',
    "rollback_of_id" TEXT,
    "period_days" INTEGER,
    "selection" JSONB NOT NULL,
    "created_by_id" TEXT,
    "created_by_email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_by_id" TEXT,
    "approved_by_email" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancelled_by_email" TEXT,
    "change_count" INTEGER NOT NULL,
    "skip_count" INTEGER NOT NULL,

    CONSTRAINT "fix_plans_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "fix_plans_period_check" CHECK ("period_days" IS NULL OR "period_days" BETWEEN 90 AND 2560)
);

CREATE TABLE "fix_items" (
    "id" BIGSERIAL NOT NULL,
    "plan_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "key_arn" TEXT NOT NULL,
    "action" "FixAction" NOT NULL,
    "period_days" INTEGER,
    "skip_reason" TEXT,
    "before_enabled" BOOLEAN,
    "before_period_days" INTEGER,
    "state" "FixItemState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "after_enabled" BOOLEAN,
    "after_period_days" INTEGER,
    "applied_at" TIMESTAMPTZ(3),
    "verified_at" TIMESTAMPTZ(3),

    CONSTRAINT "fix_items_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "fix_plans_status_created_at_idx" ON "fix_plans"("status", "created_at");
CREATE UNIQUE INDEX "fix_items_plan_id_key_arn_key" ON "fix_items"("plan_id", "key_arn");
CREATE INDEX "fix_items_plan_id_account_id_region_state_idx" ON "fix_items"("plan_id", "account_id", "region", "state");
CREATE INDEX "fix_items_key_arn_idx" ON "fix_items"("key_arn");

ALTER TABLE "fix_plans" ADD CONSTRAINT "fix_plans_rollback_of_id_fkey" FOREIGN KEY ("rollback_of_id") REFERENCES "fix_plans"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "fix_items" ADD CONSTRAINT "fix_items_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "fix_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "fix_items" ADD CONSTRAINT "fix_items_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
