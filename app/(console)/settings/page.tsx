import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { MAX_ROTATION_DAYS, MIN_ROTATION_DAYS } from "@/lib/verdict/rules";
import { getSettings } from "@/lib/settings";
import { SettingsForm } from "./_components/settings-form";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser();
  if (user.role !== "admin") forbidden();
  const s = await getSettings(prisma);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" />
      <Card>
        <CardHeader>
          <CardTitle>Policy, scanning and triage</CardTitle>
        </CardHeader>
        <CardContent>
          <SettingsForm
            fields={[
              {
                name: "maxRotationDays",
                label: "Maximum rotation period (days)",
                help: `Keys rotated less often than this are a Warning. ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}; changing it re-evaluates every finding at once.`,
                value: s["policy.maxRotationDays"],
                min: MIN_ROTATION_DAYS,
                max: MAX_ROTATION_DAYS,
              },
              {
                name: "scanIntervalHours",
                label: "Scan every (hours)",
                help: "Scheduled scans of every enabled account; 0 turns scheduling off (Scan now still works).",
                value: s["scan.intervalHours"],
                min: 0,
                max: 168,
              },
              {
                name: "concurrencyPerRegion",
                label: "Concurrent KMS calls per account-region",
                help: "Well below the KMS request quotas (hundreds per second per account and region).",
                value: s["scan.concurrencyPerRegion"],
                min: 1,
                max: 64,
              },
              {
                name: "concurrencyTotal",
                label: "Concurrent KMS calls per worker, in all",
                help: "Applies to workers started after the change.",
                value: s["scan.concurrencyTotal"],
                min: 1,
                max: 512,
              },
              {
                name: "slaCriticalDays",
                label: "Days to fix a Critical finding",
                help: "An open finding is overdue this many days after it began failing. Changing it moves every due date at once.",
                value: s["sla.criticalDays"],
                min: 1,
                max: 3650,
              },
              {
                name: "slaWarningDays",
                label: "Days to fix a Warning finding",
                help: "The same for Warning findings.",
                value: s["sla.warningDays"],
                min: 1,
                max: 3650,
              },
            ]}
            toggles={[
              {
                name: "requireApproval",
                label: "Exceptions need approval",
                help: "An analyst's exception takes effect only once an admin other than its author approves it. Off: at once.",
                checked: s["exceptions.requireApproval"],
              },
              {
                name: "requireSecondPerson",
                label: "Fixes need a second person",
                help: "A fix plan is approved by an admin other than the person who planned it. Off: an admin may approve their own plan.",
                checked: s["fixes.requireSecondPerson"],
              },
            ]}
          />
        </CardContent>
      </Card>
    </div>
  );
}
