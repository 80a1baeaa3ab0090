import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { requirePageUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { exceptionControls, mayPropose } from "@/lib/exceptions/controls";
import { emptyExceptionForm, fromVersion, withKeys } from "@/lib/exceptions/form";
import { exceptionFormOptions } from "@/lib/exceptions/form-options";
import { fetchException } from "@/lib/exceptions/list";
import { getSettings } from "@/lib/settings";
import { defaultExpiryDay, MAX_EXCEPTION_DAYS } from "@/lib/exceptions/schema";
import { ExceptionForm } from "../_components/exception-form";

export const metadata: Metadata = { title: "New exception" };

const DAY = 86_400_000;
const day = (at: Date) => at.toISOString().slice(0, 10);
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export default async function NewExceptionPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  if (!mayPropose(user.role))
    return (
      <div className="flex max-w-xl flex-col gap-3">
        <PageHeader title="New exception" />
        <Alert tone="warning">
          Only analysts and admins can create exceptions. Ask one if a finding needs one.
        </Alert>
      </div>
    );
  const params = await props.searchParams;
  const now = new Date();
  const replacesId = list(params.replaces)[0];
  const replaces = replacesId ? await fetchException(prisma, replacesId, user.accountScope, now) : null;
  if (replacesId && !replaces) notFound();
  const options = await exceptionFormOptions(prisma, user.accountScope);
  const initial = replaces
    ? fromVersion(replaces.exception)
    : withKeys(emptyExceptionForm(user.email, defaultExpiryDay(now)), list(params.key));
  const mayChange = replaces ? exceptionControls(user, replaces.exception).change : true;
  return (
    <div className="flex max-w-3xl flex-col gap-6">
      <PageHeader
        back={
          replaces
            ? { href: `/exceptions/${replaces.exception.id}`, label: "Back to the exception" }
            : { href: "/exceptions", label: "Back to the exceptions" }
        }
        title={
          replaces ? `Change exception (new version ${replaces.exception.version + 1})` : "New exception"
        }
        description={
          replaces
            ? "The version you change stays in force until this one is; it is kept, marked superseded."
            : "An exception takes the findings it covers out of the open counts until it expires or is revoked."
        }
      />
      {mayChange ? (
        <ExceptionForm
          initial={initial}
          options={options}
          replaces={replaces?.exception.id}
          minDay={day(new Date(now.getTime() + DAY))}
          maxDay={day(new Date(now.getTime() + MAX_EXCEPTION_DAYS * DAY))}
          needsApproval={user.role !== "admin" && (await getSettings(prisma))["exceptions.requireApproval"]}
        />
      ) : (
        <Alert tone="warning">
          This version can no longer be changed by you: it ended, or you neither created nor own it.
        </Alert>
      )}
    </div>
  );
}
