import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

// First gate: no session, no page. Every page, action and route handler checks the session and
// role again on the server (lib/auth/session.ts); this only turns the signed-out away early.
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request });
  if (token) return NextResponse.next();
  const { pathname, search } = request.nextUrl;
  const wantsHtml = request.headers.get("accept")?.includes("text/html");
  if (pathname.startsWith("/api/") || pathname.endsWith(".csv") || pathname.endsWith(".sh") || !wantsHtml) {
    return NextResponse.json({ error: "Sign in to continue." }, { status: 401 });
  }
  const login = new URL("/login", request.url);
  if (pathname !== "/") login.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything but sign-in, next-auth's own endpoints, the token API (/api/v1 checks its own
  // bearer tokens), Next's assets and public files.
  matcher: [
    "/((?!login|api/auth|api/health|api/v1/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)",
  ],
};
