import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** Why there is nothing to count yet, and what would change that. */
export function OverviewEmptyState({
  reason,
  isAdmin,
}: {
  reason: "no-accounts" | "no-scope" | "no-scan";
  isAdmin: boolean;
}) {
  if (reason === "no-scope") {
    return (
      <Card>
        <CardHeader>
          <CardTitle>No AWS account assigned to you</CardTitle>
          <CardDescription>
            You may see only the accounts an admin assigns to you, and none is assigned now (an account you
            saw may have been removed).
          </CardDescription>
        </CardHeader>
        <CardContent className="text-sm">Ask an admin to choose your accounts on the Users page.</CardContent>
      </Card>
    );
  }
  const admin = isAdmin ? (
    <Link href="/accounts" className="text-primary underline-offset-4 hover:underline">
      Add an AWS account
    </Link>
  ) : (
    <span>Ask an admin to add an AWS account.</span>
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>{reason === "no-accounts" ? "No AWS accounts yet" : "No scan yet"}</CardTitle>
        <CardDescription>
          {reason === "no-accounts"
            ? "There is nothing to count until an AWS account is configured."
            : "The accounts are configured, but no scan has run yet, so there are no findings to show."}
        </CardDescription>
      </CardHeader>
      <CardContent className="text-sm">
        {reason === "no-accounts" ? (
          admin
        ) : (
          <Link href="/scans" className="text-primary underline-offset-4 hover:underline">
            Go to the scans
          </Link>
        )}
      </CardContent>
    </Card>
  );
}
