-- "Who changed it" on the key page: a key's KMS management events read from CloudTrail
-- (LookupEvents) on demand and cached here with the time of the fetch. A failed refresh keeps the
-- cached events and records its error on the fetch row.
CREATE TABLE "key_change_fetches" (
    "key_arn" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3),
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "error_kind" TEXT,
    "error" TEXT,

    CONSTRAINT "key_change_fetches_pkey" PRIMARY KEY ("key_arn"),
    CONSTRAINT "key_change_fetches_error_kind_check"
        CHECK ("error_kind" IS NULL OR "error_kind" IN ('access-denied', 'throttled', 'failed'))
);

CREATE TABLE "key_change_events" (
    "key_arn" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_name" TEXT NOT NULL,
    "event_time" TIMESTAMPTZ(3) NOT NULL,
    "region" TEXT NOT NULL,
    "principal_arn" TEXT,
    "source_address" TEXT,
    "rotation_period_days" INTEGER,

    CONSTRAINT "key_change_events_pkey" PRIMARY KEY ("key_arn", "event_id")
);

CREATE INDEX "key_change_events_key_arn_event_time_idx" ON "key_change_events"("key_arn", "event_time" DESC);

ALTER TABLE "key_change_fetches" ADD CONSTRAINT "key_change_fetches_key_arn_fkey"
    FOREIGN KEY ("key_arn") REFERENCES "kms_keys"("arn") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "key_change_events" ADD CONSTRAINT "key_change_events_key_arn_fkey"
    FOREIGN KEY ("key_arn") REFERENCES "key_change_fetches"("key_arn") ON DELETE CASCADE ON UPDATE CASCADE;
