-- Alerts (issue 16): destinations (a signed webhook, Slack, email), rules evaluated when a scan
-- ends, one message per rule and scan with each delivery attempt, and what each rule has alerted
-- (cleared when a finding is resolved, so that a reopen alerts again).
CREATE TYPE "AlertDestinationKind" AS ENUM ('WEBHOOK', 'SLACK', 'EMAIL');
CREATE TYPE "AlertRuleKind" AS ENUM ('NEW_OR_REOPENED', 'SLA_OVERDUE', 'EXCEPTION_EXPIRING', 'SCAN_FAILED');
CREATE TYPE "AlertDeliveryStatus" AS ENUM ('PENDING', 'RETRYING', 'SENT', 'FAILED');

CREATE TABLE "alert_destinations" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertDestinationKind" NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secret_cipher" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_destinations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertRuleKind" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "destination_id" TEXT NOT NULL,
    "severities" "Severity"[] DEFAULT ARRAY[]::"Severity"[],
    "account_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ou_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tag_key" TEXT,
    "tag_value" TEXT,
    "days" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_rules_destination_id_idx" ON "alert_rules"("destination_id");
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_destination_id_fkey"
    FOREIGN KEY ("destination_id") REFERENCES "alert_destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL,
    "destination_id" TEXT NOT NULL,
    "rule_id" TEXT,
    "scan_id" TEXT,
    "is_test" BOOLEAN NOT NULL DEFAULT false,
    "title" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "AlertDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "alert_deliveries_rule_id_scan_id_key" ON "alert_deliveries"("rule_id", "scan_id");
CREATE INDEX "alert_deliveries_created_at_idx" ON "alert_deliveries"("created_at");
CREATE INDEX "alert_deliveries_destination_id_idx" ON "alert_deliveries"("destination_id");
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_destination_id_fkey"
    FOREIGN KEY ("destination_id") REFERENCES "alert_destinations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_rule_id_fkey"
    FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "alert_delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,

    CONSTRAINT "alert_delivery_attempts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "alert_delivery_attempts_delivery_id_idx" ON "alert_delivery_attempts"("delivery_id");
ALTER TABLE "alert_delivery_attempts" ADD CONSTRAINT "alert_delivery_attempts_delivery_id_fkey"
    FOREIGN KEY ("delivery_id") REFERENCES "alert_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alerted_subjects" (
    "rule_id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "alerted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerted_subjects_pkey" PRIMARY KEY ("rule_id", "subject_id")
);
CREATE INDEX "alerted_subjects_subject_id_idx" ON "alerted_subjects"("subject_id");
ALTER TABLE "alerted_subjects" ADD CONSTRAINT "alerted_subjects_rule_id_fkey"
    FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "alert_scan_evaluations" (
    "scan_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_scan_evaluations_pkey" PRIMARY KEY ("scan_id")
);

-- A resolved finding may be alerted again by every rule when it reopens: whoever resolves it (a
-- scan, a deleted key, a re-evaluation), the event the kms_keys trigger writes clears its rows.
CREATE FUNCTION alerted_subjects_clear_resolved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM alerted_subjects WHERE subject_id = NEW.kms_key_id;
  RETURN NULL;
END $$;
CREATE TRIGGER finding_events_clear_alerted AFTER INSERT ON finding_events
    FOR EACH ROW WHEN (NEW.kind = 'RESOLVED') EXECUTE FUNCTION alerted_subjects_clear_resolved();
