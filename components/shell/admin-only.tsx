import { Alert } from "@/components/ui/alert";
import { PageHeader } from "./page-header";

const ADMIN_ONLY_SENTENCE =
  "Only an admin can see this page. Ask an admin of this console if you need a change.";

/** Shown instead of an admin page to a viewer: a clear sentence, not an error page. */
export function AdminOnly() {
  return (
    <div className="flex max-w-xl flex-col gap-3">
      <PageHeader title="Admins only" />
      <Alert tone="warning">{ADMIN_ONLY_SENTENCE}</Alert>
    </div>
  );
}
