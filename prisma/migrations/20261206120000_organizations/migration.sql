-- Organizations, region discovery and coverage (issue: reach the whole estate). Accounts can come
-- from an AWS organization's sync; regions can be "all enabled regions" from the Account API; each
-- account-region keeps what coverage needs (the failing call, opt-in status, why it is excluded).
CREATE TYPE "OrgAccountStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'LEFT');
CREATE TYPE "RegionMode" AS ENUM ('LISTED', 'ALL_ENABLED');

CREATE TABLE "organizations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "management_account_id" CHAR(12),
    "aws_organization_id" TEXT,
    "access_method" "AccessMethod" NOT NULL DEFAULT 'DEFAULT_CHAIN',
    "profile" TEXT,
    "role_arn" TEXT,
    "external_id_cipher" TEXT,
    "endpoint_url" TEXT,
    "member_role_name" TEXT NOT NULL,
    "member_external_id_cipher" TEXT,
    "include_ous" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "exclude_ous" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "region_allow" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "region_deny" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "last_sync_at" TIMESTAMPTZ(3),
    "last_sync_error" TEXT,
    "last_sync_summary" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "aws_accounts"
    ADD COLUMN "organization_id" TEXT,
    ADD COLUMN "email" TEXT,
    ADD COLUMN "ou_path" TEXT,
    ADD COLUMN "ou_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "org_status" "OrgAccountStatus",
    ADD COLUMN "org_status_changed_at" TIMESTAMPTZ(3),
    ADD COLUMN "region_mode" "RegionMode" NOT NULL DEFAULT 'LISTED',
    ADD COLUMN "excluded_reason" TEXT;

ALTER TABLE "aws_accounts" ADD CONSTRAINT "aws_accounts_organization_id_fkey"
    FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "aws_accounts_organization_id_idx" ON "aws_accounts"("organization_id");

ALTER TABLE "account_region_states"
    ADD COLUMN "last_error_call" TEXT,
    ADD COLUMN "last_error_code" TEXT,
    ADD COLUMN "opt_in_status" TEXT,
    ADD COLUMN "opt_in_checked_at" TIMESTAMPTZ(3),
    ADD COLUMN "excluded_reason" TEXT,
    ADD COLUMN "key_count" INTEGER;
