import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from "@/lib/audit/client-address";
import { parseEnv } from "@/lib/config/env";
import { hasMalformedPath, MALFORMED_PATH_MESSAGE } from "./malformed-path";

// The web server `npm start` and `npm run dev` run in place of `next start`/`next dev`: Next's
// App Router does not show a request's socket address, so this sets the one header the app reads
// it from (lib/audit/client-address.ts), after removing any copy the client sent. It also answers a
// path that does not decode with a 400 of its own (lib/server/malformed-path.ts).

function stampClientAddress(req: IncomingMessage, trustedHops: number): void {
  delete req.headers[CLIENT_ADDRESS_HEADER];
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
}

export async function runWebServer(opts: { dev: boolean }): Promise<void> {
  const env = parseEnv();
  const app = next({ dev: opts.dev, dir: process.cwd(), hostname: env.HOSTNAME, port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    if (hasMalformedPath(req.url)) {
      res.writeHead(400, {
        "content-type": "text/plain; charset=utf-8",
        "x-content-type-options": "nosniff",
      });
      res.end(MALFORMED_PATH_MESSAGE);
      return;
    }
    stampClientAddress(req, env.INSIGHTS_TRUSTED_PROXY_HOPS);
    void handle(req, res);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 8_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOSTNAME, resolve);
  });
}
