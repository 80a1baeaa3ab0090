import type { Metadata } from "next";
import { AdminOnly } from "@/components/shell/admin-only";
import { Card, CardContent } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const user = await getCurrentUser();
  if (user?.role !== "admin") return <AdminOnly what="read the audit log" />;
  const entries = await prisma.auditLog.findMany({ orderBy: { id: "desc" }, take: 200 });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-sm text-muted-foreground">The latest 200 entries. The log is append-only.</p>
      <Card>
        <CardContent className="overflow-x-auto p-0">
          <table className="w-full text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="border-b border-border bg-muted text-left">
              <tr>
                {["When (UTC)", "Who", "Action", "Target", "Details", "Address"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={String(e.id)} className="border-b border-border align-top">
                  <td className="whitespace-nowrap px-4 py-2">{e.at.toISOString().slice(0, 19).replace("T", " ")}</td>
                  <td className="px-4 py-2">{e.actorEmail ?? "system"}</td>
                  <td className="px-4 py-2 font-mono text-xs">{e.action}</td>
                  <td className="px-4 py-2 font-mono text-xs">{e.target ?? ""}</td>
                  <td className="max-w-md break-all px-4 py-2 font-mono text-xs">{JSON.stringify(e.details)}</td>
                  <td className="px-4 py-2">{e.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
    </div>
  );
}
