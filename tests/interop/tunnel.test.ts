// End to end over real WireGuard: the control plane's services create a
// server and a device; the agent script, running inside the server's network
// namespace, pulls the config from our route handlers (served over HTTP by
// tests/support/http-adapter.ts) and installs the peers with `wg syncconf`;
// a client namespace brings the device's own config up and pings through the
// tunnel; the agent's stats push lands on the device; a key rotation keeps
// the old config working during its grace period while the new config
// connects from a second client, until the new key's handshake (seen in the
// agent's push) retires the old key and the next sync removes it; revocation
// removes the peer from the live interface and the tunnel stops. Last, an
// admin changes the server's MTU through the API, the agent applies it, and a
// third client runs real `wg-quick up` on a new device's downloaded config,
// unchanged: the interface has the server's MTU and the tunnel passes traffic.
//
//   root ns ── 192.168.X.1/24 ─veth─ 192.168.X.2/24 ── sw-srv-<rand> ── 192.168.77.1/24 ─veth─ 192.168.77.2/24 ── sw-cli-<rand>
//   (vitest + HTTP adapter)                             wgs<rand>: 10.66.0.1/24, fd66:…::1/64            wgc<rand>: the device's addresses
//                                                              └─ 192.168.76.1/24 ─veth─ 192.168.76.2/24 ── sw-cl2-<rand>
//                                                                                                          wgn<rand>: the rotated config's addresses
//                                                              └─ 192.168.75.1/24 ─veth─ 192.168.75.2/24 ── sw-cq-<rand>
//                                                                                                          wgq<rand>: brought up by wg-quick
//
// X is a random free 192.168.X.0/24 (78-199) of the root namespace. The
// WireGuard interfaces get unique names, not wgs0/wgc0: wireguard-go's
// control socket (/var/run/wireguard/<iface>.sock) is shared by all
// namespaces, so the same name in a concurrently running test would clash.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as agentConfigGET } from "@/app/api/agent/config/route";
import { POST as agentStatsPOST } from "@/app/api/agent/stats/route";
import { PATCH as serverPATCH } from "@/app/api/admin/servers/[id]/route";
import { createPeer, getPeer, revokePeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { peerConfig } from "@/lib/services/peer-config";
import { serverAddress } from "@/lib/wireguard/addresses";
import { parseWgDumpOrThrow } from "@/lib/wireguard/dump";
import { call } from "@/tests/support/api";
import { makeServer, makeUser } from "@/tests/support/factories";
import { serveRoutes, type Listening } from "@/tests/support/http-adapter";
import {
  canRunTunnels,
  commOf,
  freeRootSubnet,
  Lab,
  resolvconfBesideWgQuick,
  run,
  uniqueSuffix,
  waitFor,
  type Netns,
  type RunResult,
} from "@/tests/support/netns";

const missing = canRunTunnels();
const can = missing === null;
if (!can) console.warn(`[tunnel] skipping the end-to-end WireGuard tunnel test: ${missing}`);

const AGENT = resolve("agent/securewave-agent.sh");
/** The agent is plain POSIX sh: it runs under dash (Debian's sh) and under busybox, where busybox is installed. */
const BUSYBOX = ["/usr/bin/busybox", "/bin/busybox"].find((p) => existsSync(p)) ?? null;
const IPV4_POOL = "10.66.0.0/24";
const IPV6_POOL = "fd66:77:88:99::/64";
const LISTEN_PORT = 51820;
const SERVER_MTU = 1380;
/** What the admin changes it to before the wg-quick client downloads its config: neither 1380 nor wg-quick's own 1420. */
const PATCHED_MTU = 1360;

/** The MTU `ip link show` reports for an interface. */
function mtuOf(ns: { exec(args: string[]): string }, iface: string): number {
  return Number(/ mtu (\d+) /.exec(ns.exec(["ip", "link", "show", "dev", iface]))?.[1]);
}
const SRV_UNDERLAY = "192.168.77.1";
const CLI_UNDERLAY = "192.168.77.2";
const SRV_UNDERLAY2 = "192.168.76.1";
const CLI2_UNDERLAY = "192.168.76.2";
const SRV_UNDERLAY3 = "192.168.75.1";
const CLI3_UNDERLAY = "192.168.75.2";
// One agent line: "<ISO time> securewave-agent[<iface>] config <state>, pushed <n> peer(s): <json>"
const AGENT_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ securewave-agent\[(\S+)\] config (applied|unchanged), pushed (\d+) peer\(s\): (\{.*\})$/;

describe.skipIf(!can)("a real WireGuard tunnel driven by the control plane and its agent", () => {
  const rand = uniqueSuffix(6);
  const SRV_IF = `wgs${rand}`;
  const CLI_IF = `wgc${rand}`;
  const CLI2_IF = `wgn${rand}`;
  const QUICK_IF = `wgq${rand}`;
  const lab = can ? new Lab() : (null as unknown as Lab);
  let srv: Netns;
  let cli: Netns;
  let cli2: Netns;
  let quick: Netns;
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
  let oldConfigFile = "";
  let rotated = { publicKey: "", ipv4: "", ipv6: "" };
  const srvTunnel4 = serverAddress(IPV4_POOL);
  const srvTunnel6 = serverAddress(IPV6_POOL);
  const timings: Record<string, number> = {};

  /** Runs the agent once inside the server namespace, against the adapter. */
  function agent(opts: { token?: string; url?: string; stateDir?: string; shell?: string[] } = {}): Promise<RunResult> {
    return srv.execAsync(
      [
        "env",
        `SECUREWAVE_URL=${opts.url ?? http.url}`,
        `SECUREWAVE_TOKEN=${opts.token ?? server.agentToken}`,
        `WG_INTERFACE=${SRV_IF}`,
        `STATE_DIR=${opts.stateDir ?? stateDir}`,
        ...(opts.shell ?? ["sh"]),
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
  function pingOnce(target: string, from: Netns = cli): boolean {
    const v6 = target.includes(":");
    return from.tryExec(["ping", ...(v6 ? ["-6"] : []), "-c", "1", "-W", "1", target]).code === 0;
  }

  /**
   * Brings a client interface up on a device config, as wg-quick up would
   * minus DNS and the default route (routes for the pools only). Returns the
   * stripped `wg setconf` file.
   */
  function bringUp(ns: Netns, iface: string, configText: string, addresses: string[]): string {
    const quick = join(tmp, `${iface}.conf`);
    writeFileSync(quick, configText, { mode: 0o600 });
    const stripped = join(tmp, `${iface}.setconf`);
    writeFileSync(stripped, run("wg-quick", ["strip", quick]), { mode: 0o600 });
    ns.exec(["wg", "setconf", iface, stripped]);
    // wg-quick sets the interface MTU from the config's MTU line (its set_mtu_up); `strip` drops that line.
    const mtu = Number(/^MTU = (\d+)$/m.exec(configText)?.[1]);
    ns.configureInterface(iface, addresses, mtu ? { mtu } : {});
    ns.ip("route", "add", IPV4_POOL, "dev", iface);
    ns.ip("-6", "route", "add", IPV6_POOL, "dev", iface);
    return stripped;
  }

  /**
   * Forgets the client's session with the server (removes the server peer
   * and installs it again from the same config), so that the next packet
   * needs a fresh handshake: what a phone does after sleeping for a while.
   * Returns the time it did so, in epoch seconds.
   */
  function forgetSession(ns: Netns, iface: string, setconfFile: string): number {
    const at = Math.floor(Date.now() / 1000);
    ns.exec(["wg", "set", iface, "peer", server.publicKey, "remove"]);
    ns.exec(["wg", "setconf", iface, setconfFile]);
    return at;
  }

  /** The client's latest handshake with the server, in epoch seconds (0: none since the peer was set). */
  function clientHandshake(ns: Netns, iface: string): number {
    const line = ns.exec(["wg", "show", iface, "latest-handshakes"]).trim();
    return Number(line.split(/\s+/)[1] ?? 0);
  }

  beforeAll(async () => {
    const t0 = Date.now();
    srv = lab.namespace(`sw-srv-${rand}`);
    cli = lab.namespace(`sw-cli-${rand}`);
    // Underlay between the two namespaces.
    lab.veth({ ns: srv, ifname: `vs${rand}`, address: `${SRV_UNDERLAY}/24` }, { ns: cli, ifname: `vc${rand}`, address: `${CLI_UNDERLAY}/24` });
    // A second client (the same device, after its key rotation) reaches the
    // same endpoint address through its own link.
    cli2 = lab.namespace(`sw-cl2-${rand}`);
    lab.veth({ ns: srv, ifname: `vt${rand}`, address: `${SRV_UNDERLAY2}/24` }, { ns: cli2, ifname: `vn${rand}`, address: `${CLI2_UNDERLAY}/24` });
    cli2.ip("route", "add", `${SRV_UNDERLAY}/32`, "via", SRV_UNDERLAY2);
    // The wg-quick client, the same way. Its default route will be the tunnel's (AllowedIPs 0.0.0.0/0, ::/0);
    // wg-quick keeps the encrypted packets on this route with its fwmark rules.
    quick = lab.namespace(`sw-cq-${rand}`);
    lab.veth({ ns: srv, ifname: `vw${rand}`, address: `${SRV_UNDERLAY3}/24` }, { ns: quick, ifname: `vq${rand}`, address: `${CLI3_UNDERLAY}/24` });
    quick.ip("route", "add", `${SRV_UNDERLAY}/32`, "via", SRV_UNDERLAY3);
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
    // Not wireguard-go's own 1420: the agent must set it from its config's `# securewave: mtu=` line.
    server = await makeServer({ endpointHost: SRV_UNDERLAY, endpointPort: LISTEN_PORT, ipv4Pool: IPV4_POOL, ipv6Pool: IPV6_POOL, mtu: SERVER_MTU });
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
    await cli2.wireguardGo(CLI2_IF);
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
    const r = await srv.execAsync(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", `${http.url}/api/nope`], { timeoutMs: 45_000 });
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
    expect(mtuOf(srv, SRV_IF)).toBe(SERVER_MTU);
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
    oldConfigFile = bringUp(cli, CLI_IF, config.text, [`${deviceIpv4}/32`, `${deviceIpv6}/128`]);
    expect(config.text).toContain(`\nMTU = ${SERVER_MTU}\n`);
    expect(mtuOf(cli, CLI_IF)).toBe(SERVER_MTU);

    const t = Date.now();
    await waitFor(`ping ${srvTunnel4} through the tunnel`, () => pingOnce(srvTunnel4), { intervalMs: 50 });
    timings.firstPing = Date.now() - t;
    await waitFor(`ping ${srvTunnel6} through the tunnel`, () => pingOnce(srvTunnel6), { intervalMs: 50 });

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
    // The agent pinged the connected device over the tunnel and pushed the round trip with its stats.
    expect(device.latencyMs, "a round trip measured by the agent").not.toBeNull();
    expect(device.latencyMs!).toBeGreaterThan(0);
    expect(device.latencyMs!).toBeLessThan(1_000);
    expect(new Date(device.latencyMeasuredAt!).getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it.skipIf(!BUSYBOX)("under busybox sh the agent pulls, pushes and measures the same way", async () => {
    // New traffic, so the push is not a replay of the previous one.
    await waitFor(`ping ${srvTunnel4} through the tunnel`, () => pingOnce(srvTunnel4), { intervalMs: 50 });
    const before = Date.now();
    const r = await agent({ shell: [BUSYBOX!, "sh"] });
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(r.stderr).toBe("");
    expect(agentLine(r)).toMatchObject({ config: "unchanged", pushed: 1, answer: { peers: 1, unknown: 0, replay: false } });
    const device = await getPeer(user.actor, deviceId);
    expect(device.latencyMs).toBeGreaterThan(0);
    expect(new Date(device.latencyMeasuredAt!).getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("after a key rotation the old config keeps working during the grace period, beside the new key", async () => {
    const dto = await rotatePeer(user.actor, deviceId);
    rotated = { publicKey: dto.publicKey, ipv4: dto.ipv4, ipv6: dto.ipv6 };
    expect(rotated.publicKey).not.toBe(devicePublicKey);
    expect(rotated.ipv4).not.toBe(deviceIpv4);
    expect(rotated.ipv6).not.toBe(deviceIpv6);
    expect(dto.pendingRotation).toMatchObject({ previousPublicKey: devicePublicKey, previousIpv4: deviceIpv4 });
    expect(new Date(dto.pendingRotation!.graceUntil).getTime()).toBeGreaterThan(Date.now() + 86_400_000);

    const r = await agent();
    timings.agentAfterRotate = r.ms;
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(agentLine(r)).toMatchObject({ config: "applied", pushed: 2, answer: { unknown: 0 } });

    // Both keys on the live interface, each with its own addresses.
    const live = new Map(serverDump().peers.map((p) => [p.publicKey, p.allowedIps]));
    expect(live).toEqual(
      new Map([
        [devicePublicKey, [`${deviceIpv4}/32`, `${deviceIpv6}/128`]],
        [rotated.publicKey, [`${rotated.ipv4}/32`, `${rotated.ipv6}/128`]],
      ]),
    );

    // The phone still holding the old QR code: a fresh handshake with the old key succeeds.
    const forgotAt = forgetSession(cli, CLI_IF, oldConfigFile);
    await waitFor("ping with the old config during grace", () => pingOnce(srvTunnel4), { intervalMs: 50 });
    expect(clientHandshake(cli, CLI_IF)).toBeGreaterThanOrEqual(forgotAt);
    expect((await getPeer(user.actor, deviceId)).pendingRotation).not.toBeNull();
  });

  it("the new config connects, and the new key's handshake pushed by the agent retires the old key", async () => {
    const config = await peerConfig(user.actor, deviceId);
    expect(config.text).toContain(`Address = ${rotated.ipv4}/32`);
    expect(config.text).not.toContain(deviceIpv4);
    bringUp(cli2, CLI2_IF, config.text, [`${rotated.ipv4}/32`, `${rotated.ipv6}/128`]);
    await waitFor("ping with the new config", () => pingOnce(srvTunnel4, cli2), { intervalMs: 50 });
    await waitFor("ping -6 with the new config", () => pingOnce(srvTunnel6, cli2), { intervalMs: 50 });
    const seen = serverDump().peers.find((p) => p.publicKey === rotated.publicKey);
    expect(seen?.latestHandshake).not.toBeNull();
    expect(seen?.endpointIp).toBe(CLI2_UNDERLAY);

    // This cycle's push carries the new key's handshake: the old key is retired...
    const r = await agent();
    expect(r.code, `stderr: ${r.stderr}`).toBe(0);
    expect(agentLine(r)).toMatchObject({ config: "unchanged", pushed: 2, answer: { unknown: 0 } });
    const device = await getPeer(user.actor, deviceId);
    expect(device.pendingRotation).toBeNull();
    expect(device.publicKey).toBe(rotated.publicKey);
    // ...and the next sync takes it off the live interface, keeping the new one.
    const next = await agent();
    timings.agentAfterRetire = next.ms;
    expect(next.code, `stderr: ${next.stderr}`).toBe(0);
    expect(agentLine(next)).toMatchObject({ config: "applied", pushed: 1, answer: { peers: 1, unknown: 0 } });
    expect(serverDump().peers.map((p) => p.publicKey)).toEqual([rotated.publicKey]);
  });

  it("after retirement the old config no longer completes a handshake, and the new one keeps working", async () => {
    forgetSession(cli, CLI_IF, oldConfigFile);
    const v4 = cli.tryExec(["ping", "-c", "3", "-W", "1", srvTunnel4]);
    expect(v4.code, `ping with the retired config: ${v4.stdout}`).not.toBe(0);
    expect(clientHandshake(cli, CLI_IF)).toBe(0);
    expect(pingOnce(srvTunnel4, cli2)).toBe(true);
    devicePublicKey = rotated.publicKey;
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

    const v4 = cli2.tryExec(["ping", "-c", "2", "-W", "1", srvTunnel4]);
    expect(v4.code, `ping after revocation: ${v4.stdout}`).not.toBe(0);
    const v6 = cli2.tryExec(["ping", "-6", "-c", "2", "-W", "1", srvTunnel6]);
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

  it("an MTU set by an admin reaches the server's interface and, through `wg-quick up` on the downloaded config, the client's", async () => {
    // The admin changes the server's MTU through the API; the agent's next cycle applies it to the server's interface.
    const admin = await makeUser("admin");
    const patched = await call(serverPATCH, { method: "PATCH", token: admin.token, path: `/api/admin/servers/${server.id}`, params: { id: server.id }, body: { mtu: PATCHED_MTU } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json).toMatchObject({ id: server.id, mtu: PATCHED_MTU });
    const device = await createPeer(user.actor, { serverId: server.id, deviceName: "desktop", deviceType: "linux" });
    const synced = await agent();
    expect(synced.code, `stderr: ${synced.stderr}`).toBe(0);
    expect(agentLine(synced)).toMatchObject({ config: "applied", pushed: 1, answer: { peers: 1, unknown: 0 } });
    expect(mtuOf(srv, SRV_IF)).toBe(PATCHED_MTU);
    expect(serverDump().peers.map((p) => p.publicKey)).toEqual([device.publicKey]);

    // The config exactly as the user downloads it: wg-quick reads the interface name from the file's name.
    const config = await peerConfig(user.actor, device.id);
    expect(config.text).toContain(`\nMTU = ${PATCHED_MTU}\n`);
    expect(config.text).toContain("\nAllowedIPs = 0.0.0.0/0, ::/0\n");
    const dns = /^DNS = (.+)$/m.exec(config.text)?.[1]?.split(/,\s*/) ?? [];
    expect(dns.length, "the config names DNS servers").toBeGreaterThan(0);
    const shadow = resolvconfBesideWgQuick();
    if (shadow) console.warn(`[tunnel] ${shadow} would shadow the resolvconf stub: the DNS line is left out of the wg-quick config`);
    const file = join(tmp, `${QUICK_IF}.conf`);
    writeFileSync(file, shadow ? config.text.replace(/^DNS = .*\n/m, "") : config.text, { mode: 0o600 });
    const resolvconf = lab.resolvconfStub();

    const up = await quick.wgQuick("up", file, resolvconf);
    expect(up.code, `wg-quick up: ${up.stderr}`).toBe(0);
    // What wg-quick did, from its own trace: the MTU from the file, not one it computed from the route (1500 - 80).
    expect(up.stderr).toContain(`[#] ip link set mtu ${PATCHED_MTU} up dev ${QUICK_IF}`);
    expect(mtuOf(quick, QUICK_IF)).toBe(PATCHED_MTU);
    expect(quick.exec(["ip", "-o", "addr", "show", "dev", QUICK_IF])).toContain(`inet ${device.ipv4}/32`);
    if (!shadow) {
      const set = resolvconf.calls().find((c) => c.args[0] === "-a");
      expect(set?.args).toEqual(["-a", QUICK_IF, "-m", "0", "-x"]);
      expect(set?.input.trim().split("\n")).toEqual(dns.map((d) => `nameserver ${d}`));
    }

    // Traffic passes: the whole-internet route goes through the tunnel, the encrypted packets around it.
    await waitFor(`ping ${srvTunnel4} through the wg-quick tunnel`, () => pingOnce(srvTunnel4, quick), { intervalMs: 50 });
    await waitFor(`ping ${srvTunnel6} through the wg-quick tunnel`, () => pingOnce(srvTunnel6, quick), { intervalMs: 50 });
    // A packet as large as the MTU allows, not fragmented: 1360 - 20 (IPv4) - 8 (ICMP) bytes of payload.
    const full = quick.tryExec(["ping", "-c", "1", "-W", "2", "-M", "do", "-s", String(PATCHED_MTU - 28), srvTunnel4]);
    expect(full.code, `a full-size ping: ${full.stdout}${full.stderr}`).toBe(0);
    const seen = serverDump().peers.find((p) => p.publicKey === device.publicKey);
    expect(seen?.latestHandshake).not.toBeNull();
    expect(seen?.endpointIp).toBe(CLI3_UNDERLAY);

    // And down again: the interface, its DNS and its daemon are gone.
    const daemons = quick.pids().filter((pid) => commOf(pid) === "wireguard-go");
    expect(daemons, "wg-quick's wireguard-go daemon").toHaveLength(1);
    const down = await quick.wgQuick("down", file, resolvconf);
    expect(down.code, `wg-quick down: ${down.stderr}`).toBe(0);
    expect(quick.tryExec(["ip", "link", "show", "dev", QUICK_IF]).code).not.toBe(0);
    if (!shadow) expect(resolvconf.calls().at(-1)?.args).toEqual(["-d", QUICK_IF, "-f"]);
    await waitFor("wireguard-go to exit once its interface is deleted", () => commOf(daemons[0]!) !== "wireguard-go");
  });
}, 180_000);
