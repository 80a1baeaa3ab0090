import { Alert } from "@/components/ui/alert";
import { PageHeader } from "./page-header";

/** Shown instead of an admin page to a viewer: a clear sentence, not an error page. */
export function AdminOnly({ what }: { what: string }) {
  return (
    <div className="flex max-w-xl flex-col gap-3">
      <PageHeader title="Admins only" />
      <Alert tone="warning">
        Only an admin can {what}. Ask an admin of this console if you need a change.
      </Alert>
    </div>
  );
}
