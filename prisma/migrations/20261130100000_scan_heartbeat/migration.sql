-- AlterTable
ALTER TABLE "scan_targets" ADD COLUMN "heartbeat_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "scan_targets_status_idx" ON "scan_targets"("status");
