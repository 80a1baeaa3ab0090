import { clientAddressOf } from "@/lib/audit/client-address";
import { handleApiRequest } from "@/lib/api/handle";
import { scanSender } from "@/lib/collector/web-queue";
import { prisma } from "@/lib/db";
import { getExportPool } from "@/lib/db/export-pool";

// The REST API (lib/api, docs/api.md): every endpoint of /api/v1 through one handler, which
// checks the bearer token, the rate, the role and the parameters itself.
export const dynamic = "force-dynamic";

function answer(request: Request): Promise<Response> {
  return handleApiRequest(
    { db: prisma, exports: getExportPool(), scans: scanSender },
    request,
    clientAddressOf((name) => request.headers.get(name)),
  );
}

export const GET = answer;
export const POST = answer;
export const PUT = answer;
export const PATCH = answer;
export const DELETE = answer;
