// A tiny node:http server for tests: serves Next route handlers to real
// HTTP clients (curl in a network namespace, for instance) without a Next
// server. Each IncomingMessage becomes a NextRequest, is dispatched by
// "METHOD /path" to its handler, and the Response is written back as is
// (status, headers, body).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

export type RouteHandler = (req: NextRequest, ctx: { params: Promise<any> }) => Response | Promise<Response>;

/** Keys are "METHOD /path", e.g. "GET /api/agent/config". */
export type Routes = Record<string, RouteHandler>;

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
  ifNoneMatch: string | null;
  ms: number;
}

export interface Listening {
  /** Base URL, e.g. "http://192.168.78.1:41234" */
  url: string;
  port: number;
  /** Every request served, in order. */
  requests: RequestRecord[];
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("request body too large for the test adapter");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** `body` read whole, or a stream the handler reads while the client is still sending (as under Next). */
export function toNextRequest(req: IncomingMessage, body: Buffer | ReadableStream<Uint8Array> | null, origin: string): NextRequest {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? "GET";
  if (body instanceof ReadableStream) return new NextRequest(new URL(req.url ?? "/", origin), { method, headers, body, duplex: "half" } as { body: BodyInit });
  const hasBody = body !== null && body.length > 0 && method !== "GET" && method !== "HEAD";
  return new NextRequest(new URL(req.url ?? "/", origin), {
    method,
    headers,
    body: hasBody ? new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength) : undefined,
  });
}

export async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const noBody = method === "HEAD" || response.status === 204 || response.status === 304;
  const body = noBody || !response.body ? null : Buffer.from(await response.arrayBuffer());
  if (body && !headers["content-length"] && !headers["transfer-encoding"]) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

function json(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * Serves the routes on host:port (port 0 picks a free one). Bind to an
 * address of an interface the clients can reach — for a network namespace,
 * the root-namespace end of a veth pair — not to 127.0.0.1, which every
 * namespace has for itself.
 */
export function serveRoutes(routes: Routes) {
  const table = new Map<string, RouteHandler>();
  for (const [key, handler] of Object.entries(routes)) {
    const m = key.match(/^([A-Z]+)\s+(\/\S*)$/);
    if (!m) throw new Error(`route key must be "METHOD /path", got ${JSON.stringify(key)}`);
    table.set(`${m[1]} ${m[2]}`, handler);
  }
  const requests: RequestRecord[] = [];

  return {
    listen(host: string, port = 0): Promise<Listening> {
      const server = createServer(async (req, res) => {
        const started = Date.now();
        const method = req.method ?? "GET";
        const origin = `http://${req.headers.host ?? host}`;
        const path = new URL(req.url ?? "/", origin).pathname;
        let response: Response;
        try {
          const handler = table.get(`${method} ${path}`);
          if (handler) {
            const body = method === "GET" || method === "HEAD" ? null : await readBody(req);
            response = await handler(toNextRequest(req, body, origin), { params: Promise.resolve({}) });
          } else if ([...table.keys()].some((k) => k.endsWith(` ${path}`))) {
            response = json(405, "method_not_allowed", `${method} is not allowed on ${path}`);
          } else {
            response = json(404, "not_found", `No route for ${method} ${path}`);
          }
        } catch (err) {
          response = json(500, "adapter_error", err instanceof Error ? err.message : String(err));
        }
        requests.push({ method, path, status: response.status, ifNoneMatch: req.headers["if-none-match"] ?? null, ms: Date.now() - started });
        try {
          await writeResponse(res, response, method);
        } catch (err) {
          if (!res.headersSent) res.writeHead(500);
          res.end(String(err));
        }
      });
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const addr = server.address() as AddressInfo;
          const h = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
          resolve({
            url: `http://${h}:${addr.port}`,
            port: addr.port,
            requests,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}

/** Shorthand: serveRoutes(routes).listen(host, port). */
export function listen(routes: Routes, host: string, port = 0): Promise<Listening> {
  return serveRoutes(routes).listen(host, port);
}
