import { Alert } from "@/components/ui/alert";

/** Shown instead of an admin page to a viewer: a clear sentence, not an error page. */
export function AdminOnly({ what }: { what: string }) {
  return (
    <div className="max-w-xl">
      <h1 className="mb-3 text-2xl font-semibold">Admins only</h1>
      <Alert tone="warning">
        Only an admin can {what}. Ask an admin of this console if you need a change.
      </Alert>
    </div>
  );
}
