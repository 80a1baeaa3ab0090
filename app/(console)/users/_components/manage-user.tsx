import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { UserSummary } from "@/lib/users/service";
import { PasswordForm } from "./password-form";
import { RoleForm } from "./role-form";
import { ScopeForm, type AccountOption } from "./scope-form";
import { StatusForm } from "./status-form";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-2 border-t border-border pt-4">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

export function ManageUser({
  user,
  accounts,
  isSelf,
}: {
  user: UserSummary;
  accounts: AccountOption[];
  isSelf: boolean;
}) {
  return (
    <Card id="manage">
      <CardHeader>
        <CardTitle>Manage {user.email}</CardTitle>
        <CardDescription>
          Changing the role, disabling or setting a new password ends this user&apos;s sessions at once
          {isSelf ? ", including yours: you will sign in again" : ""}. Every change is in the audit log.{" "}
          <Link href="/users" className="text-primary underline">
            Close
          </Link>
        </CardDescription>
      </CardHeader>
      <CardContent className="grid max-w-2xl gap-4">
        <Section title="Role">
          <RoleForm userId={user.id} role={user.role} />
        </Section>
        <Section title="Status">
          <StatusForm userId={user.id} email={user.email} disabled={user.disabled} />
        </Section>
        <Section title="New password">
          <PasswordForm userId={user.id} />
        </Section>
        <Section title="Account scope">
          {user.role === "admin" ? (
            <p className="text-sm text-muted-foreground">
              Admins see every account. Make them a viewer to limit what they see.
            </p>
          ) : (
            <ScopeForm userId={user.id} accounts={accounts} scoped={user.scoped} selected={user.accountIds} />
          )}
        </Section>
      </CardContent>
    </Card>
  );
}
