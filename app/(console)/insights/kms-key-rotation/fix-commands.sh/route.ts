import { NextResponse, type NextRequest } from "next/server";
import { clientAddressOf } from "@/lib/audit/client-address";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";
import { scriptDownload } from "@/lib/remediation/script-download";
import { parseScriptRequest } from "@/lib/remediation/script-request";
import { auditedFixScript, scriptFileName } from "@/lib/remediation/script-source";
import { getSettings } from "@/lib/settings";

// The AWS CLI commands that fix the table's current view (its URL parameters, as the CSV export), or
// the keys selected (`key=<arn>`, repeated), as a shell script streamed in the reader's scope. Any
// reader may have it: it changes nothing, the reader runs it with their own write access. A page's
// selection is POSTed as a form (200 ARNs are too long for a URL); the same fields either way.

export async function GET(request: NextRequest): Promise<Response> {
  return script(request, async () => request.nextUrl.searchParams);
}

export async function POST(request: NextRequest): Promise<Response> {
  return script(request, async () => {
    const form = await request.formData().catch(() => null);
    if (!form) return null;
    const params = new URLSearchParams();
    for (const [name, value] of form) if (typeof value === "string") params.append(name, value);
    return params;
  });
}

async function script(
  request: NextRequest,
  readParams: () => Promise<URLSearchParams | null>,
): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const params = await readParams();
  if (!params) return NextResponse.json({ error: "Send the selection as a form." }, { status: 400 });
  const exports = getExportPool();
  if (!exports) return NextResponse.json({ error: "The database is not configured." }, { status: 503 });

  const settings = await getSettings(prisma);
  const parsed = parseScriptRequest(params, settings["policy.maxRotationDays"]);
  if (!parsed.ok) return NextResponse.json({ error: parsed.message }, { status: 400 });
  const now = new Date();
  return scriptDownload({
    exports,
    user: user.id,
    fileName: scriptFileName(now),
    lines: (pool) =>
      auditedFixScript(
        prisma,
        pool,
        parsed.request,
        user.accountScope,
        {
          actorId: user.id,
          actorEmail: user.email,
          ip: clientAddressOf((name) => request.headers.get(name)),
        },
        now,
      ),
  });
}
