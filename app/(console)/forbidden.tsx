import { AdminOnly } from "@/components/shell/admin-only";

// What `forbidden()` renders inside the console shell, with HTTP 403: only admin pages call it.
export default function Forbidden() {
  return <AdminOnly />;
}
