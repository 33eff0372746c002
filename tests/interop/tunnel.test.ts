// End to end over real WireGuard: the control plane's services create a
// server and a device; the agent script, running inside the server's network
// namespace, pulls the config from our route handlers (served over HTTP by
// tests/support/http-adapter.ts) and installs the peers with `wg syncconf`;
// a client namespace brings the device's own config up and pings through the
// tunnel; the agent's stats push lands on the device; revocation removes the
// peer from the live interface and the tunnel stops.
//
//   root ns ── 192.168.X.1/24 ─veth─ 192.168.X.2/24 ── sw-srv-<rand> ── 192.168.77.1/24 ─veth─ 192.168.77.2/24 ── sw-cli-<rand>
//   (vitest + HTTP adapter)                             wgs<rand>: 10.66.0.1/24, fd66:…::1/64            wgc<rand>: the device's addresses
//
// X is a random free 192.168.X.0/24 (78-199) of the root namespace. The
// WireGuard interfaces get unique names, not wgs0/wgc0: wireguard-go's
// control socket (/var/run/wireguard/<iface>.sock) is shared by all
// namespaces, so the same name in a concurrently running test would clash.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as agentConfigGET } from "@/app/api/agent/config/route";
import { POST as agentStatsPOST } from "@/app/api/agent/stats/route";
import { createPeer, getPeer, revokePeer } from "@/lib/services/peers";
import { peerConfig } from "@/lib/services/peer-config";
import { serverAddress } from "@/lib/wireguard/addresses";
import { parseWgDumpOrThrow } from "@/lib/wireguard/dump";
import { makeServer, makeUser } from "@/tests/support/factories";
import { serveRoutes, type Listening } from "@/tests/support/http-adapter";
import { canRunTunnels, freeRootSubnet, Lab, run, uniqueSuffix, waitFor, type Netns, type RunResult } from "@/tests/support/netns";

const missing = canRunTunnels();
const can = missing === null;
if (!can) console.warn(`[tunnel] skipping the end-to-end WireGuard tunnel test: ${missing}`);

const AGENT = resolve("agent/securewave-agent.sh");
const IPV4_POOL = "10.66.0.0/24";
const IPV6_POOL = "fd66:77:88:99::/64";
const LISTEN_PORT = 51820;
const SRV_UNDERLAY = "192.168.77.1";
const CLI_UNDERLAY = "192.168.77.2";
// One agent line: "<ISO time> securewave-agent[<iface>] config <state>, pushed <n> peer(s): <json>"
const AGENT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ securewave-agent\[(\S+)\] config (applied|unchanged), pushed (\d+) peer\(s\): (\{.*\})$/;

describe.skipIf(!can)("a real WireGuard tunnel driven by the control plane and its agent", () => {
  const rand = uniqueSuffix(6);
  const SRV_IF = `wgs${rand}`;
  const CLI_IF = `wgc${rand}`;
  const lab = can ? new Lab() : (null as unknown as Lab);
  let srv: Netns;
  let cli: Netns;
  let http: Listening;
  let rootIp = "";
  let stateDir = "";
  let tmp = "";
  let user: Awaited<ReturnType<typeof makeUser>>;
  let server: Awaited<ReturnType<typeof makeServer>>;
  let deviceId = "";
  let devicePublicKey = "";
  let deviceIpv4 = "";
  let deviceIpv6 = "";
  const srvTunnel4 = serverAddress(IPV4_POOL);
  const srvTunnel6 = serverAddress(IPV6_POOL);
  const timings: Record<string, number> = {};

  /** Runs the agent once inside the server namespace, against the adapter. */
  function agent(opts: { token?: string; url?: string; stateDir?: string } = {}): Promise<RunResult> {
    return srv.execAsync(
      [
        "env",
        `SECUREWAVE_URL=${opts.url ?? http.url}`,
        `SECUREWAVE_TOKEN=${opts.token ?? server.agentToken}`,
        `WG_INTERFACE=${SRV_IF}`,
        `STATE_DIR=${opts.stateDir ?? stateDir}`,
        "sh",
        AGENT,
        "--once",
      ],
      { timeoutMs: 45_000 },
    );
  }

  function agentLine(r: RunResult) {
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines, `agent stdout: ${r.stdout}\nstderr: ${r.stderr}`).toHaveLength(1);
    const m = lines[0]!.match(AGENT_LINE);
    expect(m, `unexpected agent line: ${lines[0]}`).not.toBeNull();
    return { iface: m![1]!, config: m![2]!, pushed: Number(m![3]), answer: JSON.parse(m![4]!) as { peers: number; unknown: number; replay: boolean } };
  }

  function serverDump() {
    return parseWgDumpOrThrow(srv.exec(["wg", "show", SRV_IF, "dump"]));
  }

  /** One ping, bounded by -W; used in retry loops instead of sleeps. */
  function pingOnce(target: string): boolean {
    const v6 = target.includes(":");
    return cli.tryExec(["ping", ...(v6 ? ["-6"] : []), "-c", "1", "-W", "1", target]).code === 0;
  }

  beforeAll(async () => {
    const t0 = Date.now();
    srv = lab.namespace(`sw-srv-${rand}`);
    cli = lab.namespace(`sw-cli-${rand}`);
    // Underlay between the two namespaces.
    lab.veth({ ns: srv, ifname: `vs${rand}`, address: `${SRV_UNDERLAY}/24` }, { ns: cli, ifname: `vc${rand}`, address: `${CLI_UNDERLAY}/24` });
    // Control link: root namespace (the HTTP adapter) ↔ server namespace (the agent).
    const subnet = freeRootSubnet();
    rootIp = `${subnet}.1`;
    lab.veth({ ns: null, ifname: `vr${rand}`, address: `${rootIp}/24` }, { ns: srv, ifname: `va${rand}`, address: `${subnet}.2/24` });

    http = await serveRoutes({ "GET /api/agent/config": agentConfigGET, "POST /api/agent/stats": agentStatsPOST }).listen(rootIp);
    lab.defer(() => http.close());
    stateDir = lab.tmpDir("sw-agent-state-");
    tmp = lab.tmpDir("sw-tunnel-");
    timings.topology = Date.now() - t0;

    // The control plane's side, through the services.
    server = await makeServer({ endpointHost: SRV_UNDERLAY, endpointPort: LISTEN_PORT, ipv4Pool: IPV4_POOL, ipv6Pool: IPV6_POOL });
    user = await makeUser();
    const device = await createPeer(user.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
    deviceId = device.id;
    devicePublicKey = device.publicKey;
    deviceIpv4 = device.ipv4;
    deviceIpv6 = device.ipv6;

    // Server interface: addresses only. Key, port and peers come from the agent.
    const t1 = Date.now();
    await srv.wireguardGo(SRV_IF);
    srv.configureInterface(SRV_IF, [`${srvTunnel4}/24`, `${srvTunnel6}/64`]);
    await cli.wireguardGo(CLI_IF);
    timings.wireguardGo = Date.now() - t1;
  });

  afterAll(async () => {
    if (!lab) return;
    const t = Date.now();
    const problems = await lab.cleanup();
    timings.cleanup = Date.now() - t;
    if (problems.length) console.warn(`[tunnel] cleanup: ${problems.join("; ")}`);
    console.info(`[tunnel] timings (ms): ${JSON.stringify(timings)}`);
  });

  it("the adapter is reachable from the server namespace and refuses what it does not serve", async () => {
    const r = await srv.execAsync(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", `${http.url}/api/nope`], { timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("404");
  });

  it("the agent installs the server's key, port and the device with `wg syncconf`", async () => {
    expect(serverDump().peers).toHaveLength(0);
    const r = await agent();
    timings.agentFirst = r.ms;
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(r.stderr).toBe("");
    const line = agentLine(r);
    expect(line).toMatchObject({ iface: SRV_IF, config: "applied", pushed: 1, answer: { peers: 1, unknown: 0, replay: false } });

    const dump = serverDump();
    expect(dump.iface).toMatchObject({ publicKey: server.publicKey, listenPort: LISTEN_PORT });
    expect(dump.peers).toHaveLength(1);
    expect(dump.peers[0]).toMatchObject({
      publicKey: devicePublicKey,
      presharedKeySet: true,
      allowedIps: [`${deviceIpv4}/32`, `${deviceIpv6}/128`],
      latestHandshake: null,
    });
    // The ETag was stored for the next cycle, and the first pull was unconditional.
    expect(http.requests.filter((q) => q.path === "/api/agent/config").map((q) => [q.status, q.ifNoneMatch])).toEqual([[200, null]]);
  });

  it("the device's own config brings a client up that pings the server over IPv4 and IPv6", async () => {
    const config = await peerConfig(user.actor, deviceId);
    expect(config.bringYourOwnKey).toBe(false);
    expect(config.text).toContain(`Endpoint = ${SRV_UNDERLAY}:${LISTEN_PORT}`);
    // What wg-quick up would do, minus DNS and the default route: routes for the pool only.
    const quick = join(tmp, `${CLI_IF}.conf`);
    writeFileSync(quick, config.text, { mode: 0o600 });
    const stripped = join(tmp, `${CLI_IF}.setconf`);
    writeFileSync(stripped, run("wg-quick", ["strip", quick]), { mode: 0o600 });
    cli.exec(["wg", "setconf", CLI_IF, stripped]);
    cli.configureInterface(CLI_IF, [`${deviceIpv4}/32`, `${deviceIpv6}/128`]);
    cli.ip("route", "add", IPV4_POOL, "dev", CLI_IF);
    cli.ip("-6", "route", "add", IPV6_POOL, "dev", CLI_IF);

    const t = Date.now();
    await waitFor(`ping ${srvTunnel4} through the tunnel`, () => pingOnce(srvTunnel4), { timeoutMs: 20_000, intervalMs: 50 });
    timings.firstPing = Date.now() - t;
    await waitFor(`ping ${srvTunnel6} through the tunnel`, () => pingOnce(srvTunnel6), { timeoutMs: 10_000, intervalMs: 50 });

    // The server's interface saw the handshake and traffic from the client's underlay address.
    const peer = await waitFor("a handshake in the server's dump", () => {
      const p = serverDump().peers.find((x) => x.publicKey === devicePublicKey);
      return p && p.latestHandshake && p.rx > 0 && p.tx > 0 ? p : null;
    });
    expect(peer.endpointIp).toBe(CLI_UNDERLAY);
  });

  it("the agent's next cycle answers 304 on its ETag and pushes the tunnel's stats onto the device", async () => {
    const before = Date.now();
    const r = await agent();
    timings.agentSecond = r.ms;
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(agentLine(r)).toMatchObject({ config: "unchanged", pushed: 1, answer: { peers: 1, unknown: 0, replay: false } });
    const pulls = http.requests.filter((q) => q.path === "/api/agent/config");
    expect(pulls).toHaveLength(2);
    expect(pulls[1]!.status).toBe(304);
    expect(pulls[1]!.ifNoneMatch).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const device = await getPeer(user.actor, deviceId);
    expect(device.status).toBe("active");
    expect(device.lastHandshakeAt).not.toBeNull();
    const handshake = new Date(device.lastHandshakeAt!).getTime();
    // WireGuard reports whole seconds.
    expect(handshake).toBeLessThanOrEqual(before + 1_000);
    expect(before - handshake).toBeLessThan(60_000);
    expect(device.bytesSent).toBeGreaterThan(0);
    expect(device.bytesReceived).toBeGreaterThan(0);
    expect(device.endpoint).toMatch(new RegExp(`^${CLI_UNDERLAY.replaceAll(".", "\\.")}:\\d+$`));
  });

  it("revoking the device takes it off the live interface at the next cycle and the tunnel stops", async () => {
    await revokePeer(user.actor, deviceId);
    const r = await agent();
    timings.agentAfterRevoke = r.ms;
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(agentLine(r)).toMatchObject({ config: "applied", pushed: 0, answer: { peers: 0, unknown: 0 } });
    expect(http.requests.filter((q) => q.path === "/api/agent/config").at(-1)).toMatchObject({ status: 200 });

    const peers = srv.exec(["wg", "show", SRV_IF, "peers"]);
    expect(peers).not.toContain(devicePublicKey);
    expect(serverDump().peers).toHaveLength(0);

    const v4 = cli.tryExec(["ping", "-c", "2", "-W", "1", srvTunnel4]);
    expect(v4.code, `ping after revocation: ${v4.stdout}`).not.toBe(0);
    const v6 = cli.tryExec(["ping", "-6", "-c", "2", "-W", "1", srvTunnel6]);
    expect(v6.code, `ping -6 after revocation: ${v6.stdout}`).not.toBe(0);
  });

  it("a wrong agent token makes the agent exit 2 and say so", async () => {
    const wrong = `swa_${randomBytes(32).toString("base64url")}`;
    const r = await agent({ token: wrong, stateDir: lab.tmpDir("sw-agent-bad-") });
    expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(/token/i);
    expect(r.stderr).toMatch(/HTTP 401/);
    expect(http.requests.at(-1)).toMatchObject({ path: "/api/agent/config", status: 401 });
  });

  it("an unreachable control plane makes `--once` exit 3", async () => {
    const url = `http://${rootIp}:1`;
    const r = await agent({ url });
    expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(3);
    expect(r.stderr).toContain(`cannot reach ${url}`);
  });
}, 60_000);
