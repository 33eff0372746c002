// One app instance for the live-updates measurement (bench/live/run.ts):
// serves the real route handlers of the ticket's live state, its messages
// and the reply, plus a server-sent-events prototype fed by PostgreSQL
// LISTEN/NOTIFY, so both designs run the same authentication and the same
// reads on the same database. `GET /stats` answers this process's CPU time.
//   node --import tsx --import ./scripts/shims.mjs bench/live/server.ts <port>
import { createServer, type ServerResponse } from "node:http";
import postgres from "postgres";
import { NextRequest } from "next/server";
import * as liveRoute from "@/app/api/support/tickets/[id]/live/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import { authenticateRequest } from "@/lib/api/authenticate";
import { getTicketLive } from "@/lib/services/support";
import { getDb } from "@/db/client";
import type { UserActor } from "@/lib/auth/actor";
import { toNextRequest, writeResponse } from "../../tests/support/http-adapter";

const port = Number(process.argv[2]);
const CHANNEL = "ticket_live";

interface Subscriber {
  actor: UserActor;
  res: ServerResponse;
}
const subscribers = new Map<string, Set<Subscriber>>();

// One listening connection per instance: every instance hears every reply, whichever instance took it.
const listener = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
await listener.listen(CHANNEL, (ticketId) => {
  for (const sub of subscribers.get(ticketId) ?? []) void push(sub, ticketId);
});
const notifier = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
await getDb();

async function push(sub: Subscriber, ticketId: string) {
  try {
    sub.res.write(`data: ${JSON.stringify(await getTicketLive(sub.actor, ticketId))}\n\n`);
  } catch {
    sub.res.end();
  }
}

async function sse(req: NextRequest, res: ServerResponse, ticketId: string) {
  const actor = (await authenticateRequest(req, "user").catch(() => null)) as UserActor | null;
  if (!actor) {
    res.writeHead(401).end();
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  const sub = { actor, res };
  const set = subscribers.get(ticketId) ?? new Set();
  set.add(sub);
  subscribers.set(ticketId, set);
  // A comment now and then keeps proxies from closing an idle stream.
  const keepAlive = setInterval(() => res.write(": ping\n\n"), 25_000);
  res.on("close", () => {
    clearInterval(keepAlive);
    set.delete(sub);
  });
  await push(sub, ticketId);
}

const route = /^\/api\/support\/tickets\/([\w-]+)\/(live|messages)$/;

createServer(async (req, res) => {
  const origin = `http://${req.headers.host}`;
  const url = new URL(req.url ?? "/", origin);
  if (url.pathname === "/stats") {
    const cpu = process.cpuUsage();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 }));
    return;
  }
  const sseMatch = /^\/sse\/([\w-]+)$/.exec(url.pathname);
  if (sseMatch) return sse(toNextRequest(req, null, origin), res, sseMatch[1]!);
  const m = route.exec(url.pathname);
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const params = { params: Promise.resolve({ id: m[1]! }) };
  if (req.method === "GET") {
    const handler = m[2] === "live" ? liveRoute.GET : messagesRoute.GET;
    await writeResponse(res, await handler(toNextRequest(req, null, origin), params), "GET");
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const answer = await messagesRoute.POST(toNextRequest(req, Buffer.concat(chunks), origin), params);
  // The prototype's notify, after the commit (in a real design it would be sent inside the reply's transaction).
  if (answer.status === 201) await notifier`select pg_notify(${CHANNEL}, ${m[1]!})`;
  await writeResponse(res, answer, "POST");
}).listen(port, "127.0.0.1", () => console.log(JSON.stringify({ msg: "ready", port })));
