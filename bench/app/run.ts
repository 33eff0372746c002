import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { median, pool } from "../harness";
import { halfOfBest, WG_EASY_REFERENCE } from "../reference";
import { appEnv, numArg, signIn, startApp, textArg, waitForDemo } from "../load/shared";

/**
 * `npm run bench:app [-- --peers 1000 --samples 20 --out FILE --baseline DIR]`
 * (after `npm run build`): the production build as `npm start` runs it on
 * the embedded database, measured from outside the way people meet it, over
 * HTTP with a browser's session cookie:
 *
 * - config download and QR code (PNG) of one device with `--peers` devices
 *   on the servers, medians of `--samples` samples taken in turn, beside a
 *   static file as the floor any answer has (Node's HTTP client on a
 *   kept-alive connection);
 * - the HTML the device page grows by per device (one account with 1, then
 *   21 devices);
 * - the server's resident memory after a warm-up of every measured request.
 *
 * `--baseline DIR` runs the same against the build in another checkout
 * (e.g. the previous commit) in the same run, each app alone on the
 * machine in turn.
 */
const PEERS = numArg("peers", 1000);
const SAMPLES = numArg("samples", 20);
const PORT = numArg("port", 3700);
const BASELINE = textArg("baseline");
const OUT = textArg("out");
const DEMO_PASSWORD = "demo-password";
const log = (msg: string) => console.error(`[app] ${msg}`);

interface Figures {
  /** A static file under the same server and client: what any answer costs at least. */
  floorMs: number;
  configMs: number;
  qrMs: number;
  qrBytes: number;
  bytesPerDevice: number;
  devicesPageBytes: number;
  rssMb: number;
}

/** Resident memory of every process in a process group, MB (Linux /proc). */
function groupRssMb(pgid: number): number {
  let kb = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

async function measure(label: string, cwd: string): Promise<Figures> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-bench-app-"));
  const base = `http://127.0.0.1:${PORT}`;
  const env = { ...appEnv(), DATA_DIR: dataDir };
  // A server with room for every device (the demo's have small pools), made before the app holds the data directory.
  const cli = spawnSync(
    "node_modules/.bin/tsx",
    ["--import", "./scripts/shims.mjs", "scripts/cli.ts", "server:create", "--name", "Bench fleet", "--endpoint", "bench.example.test:51820", "--ipv4", "10.200.0.0/16", "--ipv6", "fd42:200::/64"],
    { cwd, env: { ...process.env, ...env, DATABASE_URL: "" }, encoding: "utf8" },
  );
  if (cli.status !== 0) throw new Error(`server:create failed: ${cli.stderr}`);
  const app = await startApp(PORT, env, "", cwd);
  try {
    const admin = await waitForDemo(base);
    const json = (cookie: string) => ({ cookie, origin: base, "content-type": "application/json" });
    const call = async (cookie: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(`${base}${url}`, { method, headers: json(cookie), body: body === undefined ? undefined : JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    const bob = await signIn(base, "bob@securewave.test", DEMO_PASSWORD);
    const alice = await signIn(base, "alice@securewave.test", DEMO_PASSWORD);
    const plan = await call(admin, "POST", "/api/admin/plans", { id: `bench-${Date.now().toString(36)}`, name: "Bench fleet", deviceLimit: PEERS + 100 });
    for (const cookie of [bob, alice]) await call(admin, "POST", `/api/admin/users/${(await call(cookie, "GET", "/api/me")).id}/plan`, { planId: plan.id });
    const servers = ((await call(bob, "GET", "/api/vpn/servers")).items as { id: string; name: string }[]).map((s) => s.id);
    const fleet = ((await call(bob, "GET", "/api/vpn/servers")).items as { id: string; name: string }[]).find((s) => s.name === "Bench fleet")!.id;

    // Alice: the device page with one device more than she has, then 20 more.
    const pageBytes = async () => (await (await fetch(`${base}/devices`, { headers: { cookie: alice } })).text()).length;
    const add = (cookie: string, name: string, i: number) => call(cookie, "POST", "/api/vpn/peers", { serverId: servers[i % servers.length], deviceName: name, deviceType: "linux" });
    await add(alice, "Weight 0", 0);
    const before = await pageBytes();
    for (let i = 1; i <= 20; i++) await add(alice, `Weight ${i}`, i);
    const devicesPageBytes = await pageBytes();
    const bytesPerDevice = (devicesPageBytes - before) / 20;

    // Bob: PEERS devices across the servers.
    const started = Date.now();
    let made = 0;
    await pool(
      Array.from({ length: PEERS }, (_, i) => i),
      4,
      async (i) => {
        await call(bob, "POST", "/api/vpn/peers", { serverId: fleet, deviceName: `Fleet ${i}`, deviceType: "linux" });
        if (++made % 200 === 0) log(`${label}: ${made}/${PEERS} devices (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      },
    );
    const peer = (await call(bob, "GET", "/api/vpn/peers?limit=1")).items[0] as { id: string };
    // Node's own HTTP client on a kept-alive connection: fetch (undici) adds about 2 ms of its own per request on this machine.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (url: string, cookie: string) =>
      new Promise<{ ms: number; bytes: number }>((resolve, reject) => {
        const t = performance.now();
        http
          .get(`${base}${url}`, { agent, headers: { cookie } }, (res) => {
            let bytes = 0;
            res.on("data", (chunk: Buffer) => (bytes += chunk.length));
            res.on("end", () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t, bytes }) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
          })
          .on("error", reject);
      });
    // Warm-up: every request measured here, and the pages people open.
    for (let i = 0; i < 10; i++) {
      await get(`/api/vpn/peers/${peer.id}/config`, bob);
      await get(`/api/vpn/peers/${peer.id}/qr`, bob);
      await get("/devices", bob);
      await get("/usage", alice);
      await get("/admin", admin);
      await get("/api/vpn/peers", bob);
    }
    const config: number[] = [];
    const qr: number[] = [];
    const floor: number[] = [];
    let qrBytes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      floor.push((await get("/icon.svg", bob)).ms);
      config.push((await get(`/api/vpn/peers/${peer.id}/config`, bob)).ms);
      const q = await get(`/api/vpn/peers/${peer.id}/qr`, bob);
      qr.push(q.ms);
      qrBytes = q.bytes;
    }
    const rssMb = groupRssMb(app.pid);
    const figures = { floorMs: median(floor), configMs: median(config), qrMs: median(qr), qrBytes, bytesPerDevice, devicesPageBytes, rssMb };
    log(`${label}: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
const runs: Array<[string, Figures]> = [];
if (BASELINE) runs.push(["baseline", await measure("baseline", BASELINE)]);
runs.push(["this build", await measure("this build", ".")]);

const ref = WG_EASY_REFERENCE;
const rows: Array<[string, (f: Figures) => string, string, (f: Figures) => boolean]> = [
  [`a static file (/icon.svg: any answer's floor, median of ${SAMPLES})`, (f) => `${fmt(f.floorMs)} ms`, "", () => true],
  [`config download, ${PEERS} peers (median of ${SAMPLES})`, (f) => `${fmt(f.configMs)} ms`, `≤ ${halfOfBest(ref.configMs)} ms (half of wg-easy's ${ref.configMs.join("–")} ms)`, (f) => f.configMs <= halfOfBest(ref.configMs)],
  [`QR code PNG, ${PEERS} peers (median of ${SAMPLES})`, (f) => `${fmt(f.qrMs)} ms (${(f.qrBytes / 1024).toFixed(1)} kB)`, `≤ ${halfOfBest(ref.qrMs)} ms (half of wg-easy's ${ref.qrMs.join("–")} ms)`, (f) => f.qrMs <= halfOfBest(ref.qrMs)],
  ["/devices HTML per device", (f) => `${(f.bytesPerDevice / 1024).toFixed(2)} kB (${(f.devicesPageBytes / 1024).toFixed(0)} kB at 22 devices)`, "≤ 3 kB", (f) => f.bytesPerDevice <= 3 * 1024],
  [`server RSS after warm-up, ${PEERS} peers, embedded`, (f) => `${fmt(f.rssMb)} MB`, `≤ 300 MB (wg-easy ${ref.rssMb.join("–")} MB)`, (f) => f.rssMb <= 300],
];
const head = ["measure", ...runs.map(([l]) => l), "target", "met"];
const table = [
  `| ${head.join(" | ")} |`,
  `|${head.map(() => "---").join("|")}|`,
  ...rows.map(([name, show, target, met]) => `| ${name} | ${runs.map(([, f]) => show(f)).join(" | ")} | ${target} | ${target ? (met(runs.at(-1)![1]) ? "yes" : "no") : ""} |`),
].join("\n");
console.log(`\n${table}\n`);
if (OUT) fs.writeFileSync(OUT, `${table}\n`);
process.exit(0);
