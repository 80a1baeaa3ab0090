import { NextResponse, type NextRequest } from "next/server";
import { requireUser, userForRoute } from "@/lib/auth/session";
import { prisma } from "@/lib/db";
import { fetchScanProgress } from "@/lib/scans/progress";
import { toProgressJson } from "@/lib/scans/progress-wire";

const SCAN_ID = /^[a-z0-9]{1,40}$/;
const NO_STORE = { "Cache-Control": "no-store" };

// A scan's progress for the pages that watch it (polled while it runs): the scan asked for
// (?scan=id, even once finished) or the newest unfinished one, counted over the user's accounts.
export async function GET(request: NextRequest): Promise<Response> {
  const user = await userForRoute(requireUser);
  if (user instanceof Response) return user;
  const scanId = request.nextUrl.searchParams.get("scan") ?? undefined;
  if (scanId !== undefined && !SCAN_ID.test(scanId)) {
    return NextResponse.json(
      { error: "scan must be a scan id (lower-case letters and digits)." },
      { status: 400, headers: NO_STORE },
    );
  }
  const progress = await fetchScanProgress(prisma, user.accountScope, scanId);
  return NextResponse.json({ progress: progress && toProgressJson(progress) }, { headers: NO_STORE });
}
