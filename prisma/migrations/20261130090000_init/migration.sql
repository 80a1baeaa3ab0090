-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ADMIN', 'VIEWER');

-- CreateEnum
CREATE TYPE "AccessMethod" AS ENUM ('DEFAULT_CHAIN', 'PROFILE', 'ROLE', 'SANDBOX');

-- CreateEnum
CREATE TYPE "ScanTrigger" AS ENUM ('SCHEDULED', 'MANUAL', 'CLI');

-- CreateEnum
CREATE TYPE "ScanStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('CRITICAL', 'WARNING', 'OK', 'NOT_APPLICABLE');

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "session_epoch" INTEGER NOT NULL DEFAULT 0,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_account_scopes" (
    "user_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,

    CONSTRAINT "user_account_scopes_pkey" PRIMARY KEY ("user_id","account_id")
);

-- CreateTable
CREATE TABLE "aws_accounts" (
    "id" CHAR(12) NOT NULL,
    "name" TEXT NOT NULL,
    "regions" TEXT[],
    "access_method" "AccessMethod" NOT NULL DEFAULT 'DEFAULT_CHAIN',
    "profile" TEXT,
    "role_arn" TEXT,
    "external_id_cipher" TEXT,
    "endpoint_url" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "last_tested_at" TIMESTAMPTZ(3),
    "last_test_result" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "aws_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_region_states" (
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "stale" BOOLEAN NOT NULL DEFAULT false,
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_scan_id" TEXT,

    CONSTRAINT "account_region_states_pkey" PRIMARY KEY ("account_id","region")
);

-- CreateTable
CREATE TABLE "scans" (
    "id" TEXT NOT NULL,
    "trigger" "ScanTrigger" NOT NULL,
    "status" "ScanStatus" NOT NULL DEFAULT 'QUEUED',
    "requested_by" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "scans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scan_targets" (
    "id" TEXT NOT NULL,
    "scan_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "status" "ScanStatus" NOT NULL DEFAULT 'QUEUED',
    "error" TEXT,
    "keys_seen" INTEGER NOT NULL DEFAULT 0,
    "key_errors" INTEGER NOT NULL DEFAULT 0,
    "calls_made" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "scan_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kms_keys" (
    "id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "key_state" TEXT NOT NULL,
    "key_manager" TEXT NOT NULL,
    "key_spec" TEXT NOT NULL,
    "key_usage" TEXT,
    "origin" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "creation_date" TIMESTAMPTZ(3),
    "deletion_date" TIMESTAMPTZ(3),
    "multi_region" BOOLEAN NOT NULL DEFAULT false,
    "multi_region_type" TEXT,
    "primary_key_arn" TEXT,
    "primary_region" TEXT,
    "aliases" TEXT[],
    "tags" JSONB NOT NULL DEFAULT '[]',
    "rotation_enabled" BOOLEAN,
    "rotation_period_days" INTEGER,
    "next_rotation" TIMESTAMPTZ(3),
    "last_rotation" TIMESTAMPTZ(3),
    "rotation_error" TEXT,
    "collect_error" TEXT,
    "severity" "Severity" NOT NULL,
    "reason" TEXT NOT NULL,
    "finding_description" TEXT NOT NULL,
    "rotation_status" TEXT NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_scan_id" TEXT,
    "gone_at" TIMESTAMPTZ(3),

    CONSTRAINT "kms_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "key_tags" (
    "kms_key_id" TEXT NOT NULL,
    "tag_key" TEXT NOT NULL,
    "tag_value" TEXT NOT NULL,

    CONSTRAINT "key_tags_pkey" PRIMARY KEY ("kms_key_id","tag_key")
);

-- CreateTable
CREATE TABLE "finding_history" (
    "scan_id" TEXT NOT NULL,
    "kms_key_id" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "reason" TEXT NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "finding_history_pkey" PRIMARY KEY ("kms_key_id","scan_id")
);

-- CreateTable
CREATE TABLE "scan_summaries" (
    "scan_id" TEXT NOT NULL,
    "account_id" CHAR(12) NOT NULL,
    "region" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "scan_summaries_pkey" PRIMARY KEY ("scan_id","account_id","region","severity")
);

-- CreateTable
CREATE TABLE "compliance_mappings" (
    "id" TEXT NOT NULL,
    "insight" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT,
    "references" TEXT[],
    "link" TEXT,
    "source" TEXT NOT NULL,
    "data_version" INTEGER NOT NULL,
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "compliance_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "ip" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_throttles" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "user_account_scopes_account_id_idx" ON "user_account_scopes"("account_id");

-- CreateIndex
CREATE INDEX "scans_started_at_idx" ON "scans"("started_at");

-- CreateIndex
CREATE INDEX "scan_targets_account_id_region_idx" ON "scan_targets"("account_id", "region");

-- CreateIndex
CREATE UNIQUE INDEX "scan_targets_scan_id_account_id_region_key" ON "scan_targets"("scan_id", "account_id", "region");

-- CreateIndex
CREATE UNIQUE INDEX "kms_keys_arn_key" ON "kms_keys"("arn");

-- CreateIndex
CREATE INDEX "kms_keys_severity_idx" ON "kms_keys"("severity");

-- CreateIndex
CREATE INDEX "kms_keys_account_id_region_idx" ON "kms_keys"("account_id", "region");

-- CreateIndex
CREATE UNIQUE INDEX "kms_keys_account_id_region_key_id_key" ON "kms_keys"("account_id", "region", "key_id");

-- CreateIndex
CREATE INDEX "key_tags_tag_key_tag_value_idx" ON "key_tags"("tag_key", "tag_value");

-- CreateIndex
CREATE INDEX "finding_history_scan_id_idx" ON "finding_history"("scan_id");

-- CreateIndex
CREATE INDEX "compliance_mappings_insight_idx" ON "compliance_mappings"("insight");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- AddForeignKey
ALTER TABLE "user_account_scopes" ADD CONSTRAINT "user_account_scopes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_account_scopes" ADD CONSTRAINT "user_account_scopes_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_region_states" ADD CONSTRAINT "account_region_states_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scan_targets" ADD CONSTRAINT "scan_targets_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scan_targets" ADD CONSTRAINT "scan_targets_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kms_keys" ADD CONSTRAINT "kms_keys_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "aws_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "key_tags" ADD CONSTRAINT "key_tags_kms_key_id_fkey" FOREIGN KEY ("kms_key_id") REFERENCES "kms_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_history" ADD CONSTRAINT "finding_history_kms_key_id_fkey" FOREIGN KEY ("kms_key_id") REFERENCES "kms_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "scan_summaries" ADD CONSTRAINT "scan_summaries_scan_id_fkey" FOREIGN KEY ("scan_id") REFERENCES "scans"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The audit trail is append-only: refuse any UPDATE or DELETE, whatever the client.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
