// Checks our key, config, dump and QR code against the real tools
// (wireguard-tools, wireguard-go, zbar). Each block skips itself, with a
// note, when its tool or root/netns access is missing, so the unit suite
// still runs on a bare machine.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientConfig, serverConfig, serverWgQuickConfig } from "@/lib/wireguard/config";
import { parseWgDumpOrThrow } from "@/lib/wireguard/dump";
import { generateKeyPair, generatePresharedKey, isWireGuardKey, publicKeyFromPrivate } from "@/lib/wireguard/keys";
import { generateKeyPairBrowser } from "@/lib/wireguard/keys-browser";
import { configQrPng } from "@/lib/wireguard/qr";

function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", 'command -v "$1"', "sh", cmd], { stdio: "ignore" }).status === 0;
}

/** Runs a command, returning stdout; throws with stderr on a non-zero exit. */
function run(cmd: string, args: string[], input?: string | Buffer): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr?.toString().trim()}`);
  }
  return r.stdout;
}

const hasWg = onPath("wg");
const hasWgQuick = hasWg && onPath("wg-quick");
const hasZbar = onPath("zbarimg");
const isRoot = process.getuid?.() === 0;

function probeNetns(): boolean {
  if (!hasWg || !isRoot || !onPath("ip") || !onPath("wireguard-go") || !existsSync("/dev/net/tun")) return false;
  const name = `swprobe${process.pid}`;
  if (spawnSync("ip", ["netns", "add", name], { stdio: "ignore" }).status !== 0) return false;
  spawnSync("ip", ["netns", "del", name], { stdio: "ignore" });
  return true;
}
const canNetns = probeNetns();

if (!hasWg) console.warn("[interop] `wg` is not on PATH: skipping WireGuard interop tests (apt-get install wireguard-tools)");
else if (!canNetns) console.warn("[interop] no root/netns/wireguard-go: skipping live interface tests");
if (!hasZbar) console.warn("[interop] `zbarimg` is not on PATH: skipping QR decode test (apt-get install zbar-tools)");

let tmp = "";
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sw-wg-interop-"));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** wg-quick names the interface after the file and warns about world-readable keys. */
function writeConf(name: string, text: string): string {
  const file = join(tmp, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

describe.skipIf(!hasWg)("interop with wireguard-tools", () => {
  it("`wg pubkey` agrees with our public keys (node and browser generators)", () => {
    const pairs = [
      ...Array.from({ length: 20 }, () => generateKeyPair()),
      ...Array.from({ length: 10 }, () => generateKeyPairBrowser()),
    ];
    for (const { privateKey, publicKey } of pairs) {
      expect(run("wg", ["pubkey"], privateKey + "\n").toString().trim()).toBe(publicKey);
    }
  });

  it("our derivation agrees with `wg genkey` / `wg pubkey`", () => {
    for (let i = 0; i < 10; i++) {
      const priv = run("wg", ["genkey"]).toString().trim();
      expect(isWireGuardKey(priv)).toBe(true);
      expect(publicKeyFromPrivate(priv)).toBe(run("wg", ["pubkey"], priv + "\n").toString().trim());
    }
    expect(isWireGuardKey(run("wg", ["genpsk"]).toString().trim())).toBe(true);
  });

  it("`wg` rejects the non-canonical keys that isWireGuardKey rejects", () => {
    const canonical = generateKeyPair().privateKey;
    const last = "AEIMQUYcgkosw048";
    const c = canonical[42]!;
    const bumped = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(c) + 1
    ]!;
    expect(last.includes(bumped)).toBe(false);
    const nonCanonical = canonical.slice(0, 42) + bumped + "=";
    expect(isWireGuardKey(nonCanonical)).toBe(false);
    expect(spawnSync("wg", ["pubkey"], { input: nonCanonical + "\n" }).status).not.toBe(0);
  });

  it.skipIf(!hasWgQuick)("`wg-quick strip` accepts generated client configs", () => {
    const server = generateKeyPair();
    const client = generateKeyPair();
    const psk = generatePresharedKey();
    const byo = clientConfig({
      ipv4: "10.8.0.3",
      ipv6: "fd00::3",
      dns: [],
      serverPublicKey: server.publicKey,
      endpoint: "[2001:db8::1]:51820",
    });
    const full = clientConfig({
      privateKey: client.privateKey,
      ipv4: "10.8.0.2",
      ipv6: "fd00::2",
      dns: ["1.1.1.1", "2606:4700:4700::1111"],
      mtu: 1420,
      serverPublicKey: server.publicKey,
      presharedKey: psk,
      endpoint: "vpn.example.com:51820",
    });
    for (const [text, hasKey] of [[full, true], [byo, false]] as const) {
      const stripped = run("wg-quick", ["strip", writeConf("wg0.conf", text)]).toString();
      expect(stripped).toContain(`PublicKey = ${server.publicKey}`);
      expect(stripped).toContain("AllowedIPs = 0.0.0.0/0, ::/0");
      expect(stripped).toContain("PersistentKeepalive = 25");
      expect(stripped).not.toMatch(/^(Address|DNS|MTU) =/m);
      expect(stripped.includes(`PrivateKey = ${client.privateKey}`)).toBe(hasKey);
    }
  });

  it.skipIf(!hasWgQuick)("`wg-quick strip` of the wg-quick server config is exactly the setconf config", () => {
    const input = {
      privateKey: generateKeyPair().privateKey,
      listenPort: 51820,
      peers: [
        { publicKey: generateKeyPair().publicKey, presharedKey: generatePresharedKey(), allowedIps: ["10.8.0.2/32", "fd00::2/128"] },
        { publicKey: generateKeyPair().publicKey, allowedIps: ["10.8.0.3/32", "fd00::3/128"] },
      ],
    };
    const quick = serverWgQuickConfig({ ...input, ipv4Pool: "10.8.0.0/24", ipv6Pool: "fd00::/64" });
    const stripped = run("wg-quick", ["strip", writeConf("wgs0.conf", quick)]).toString();
    // wg-quick strip echoes the remaining lines and adds one blank line at the end.
    expect(stripped).toBe(serverConfig(input) + "\n");
  });
});

/** A network namespace with processes we started, torn down by pid. */
class Namespace {
  readonly procs: ChildProcess[] = [];
  constructor(readonly name: string) {
    run("ip", ["netns", "add", name]);
    this.ip("link", "set", "lo", "up");
  }
  exec(args: string[], input?: string): string {
    return run("ip", ["netns", "exec", this.name, ...args], input).toString();
  }
  ip(...args: string[]): void {
    run("ip", ["-n", this.name, ...args]);
  }
  /** Starts userspace WireGuard in the foreground so we own its pid; answers once `wg` can talk to it. */
  async wireguardGo(iface: string): Promise<void> {
    const env = { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1" };
    const proc = spawn("ip", ["netns", "exec", this.name, "wireguard-go", "-f", iface], { env, stdio: "ignore" });
    this.procs.push(proc);
    let ended = false;
    proc.once("exit", () => (ended = true));
    // Up when `wg show` answers, however long that takes; down for good once the process has ended.
    while (!ended) {
      if (spawnSync("ip", ["netns", "exec", this.name, "wg", "show", iface], { stdio: "ignore" }).status === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`wireguard-go ${iface} exited (${proc.exitCode ?? proc.signalCode}) before coming up in ${this.name}`);
  }
  /** Ends the processes and answers once they have exited (their sockets gone), then deletes the namespace. */
  async destroy(): Promise<void> {
    const running = this.procs.filter((p) => p.exitCode === null && p.signalCode === null && p.pid);
    const exited = running.map((p) => new Promise((r) => p.once("exit", r)));
    for (const p of running) process.kill(p.pid!, "SIGTERM");
    await Promise.all(exited);
    spawnSync("ip", ["netns", "del", this.name], { stdio: "ignore" });
  }
}

describe.skipIf(!canNetns || !!process.env.TEST_DATABASE_URL)("live wireguard-go interfaces (network namespaces)", () => {
  const namespaces: Namespace[] = [];
  const ns = (suffix: string) => {
    const n = new Namespace(`sw${process.pid}${suffix}`);
    namespaces.push(n);
    return n;
  };
  // wireguard-go's control socket is /var/run/wireguard/<iface>.sock in every namespace: names of
  // this process's own, so that another run on the machine never talks to these interfaces.
  const tag = process.pid.toString(36);
  const [WGB, WGS, WGC] = [`wgb${tag}`, `wgs${tag}`, `wgc${tag}`];
  afterAll(async () => {
    await Promise.all(namespaces.map((n) => n.destroy()));
  });

  it("`wg setconf` loads a 2,000-peer server config and the dump parses back to it", async () => {
    const n = ns("a");
    await n.wireguardGo(WGB);
    const server = generateKeyPair();
    const peers = Array.from({ length: 2000 }, (_, i) => ({
      publicKey: generateKeyPair().publicKey,
      presharedKey: i % 2 ? generatePresharedKey() : null,
      allowedIps: [`10.8.${(i + 2) >> 8}.${(i + 2) & 255}/32`, `fd00::${(i + 2).toString(16)}/128`],
    }));
    n.exec(["wg", "setconf", WGB, writeConf("bulk.conf", serverConfig({ privateKey: server.privateKey, listenPort: 51999, peers }))]);
    const dump = n.exec(["wg", "show", WGB, "dump"]);
    const parsed = parseWgDumpOrThrow(dump);
    expect(parsed.iface).toEqual({ publicKey: server.publicKey, listenPort: 51999, fwmark: null });
    expect(parsed.peers).toHaveLength(2000);
    // wireguard-go lists peers in map order, not config order.
    const byKey = new Map(parsed.peers.map((p) => [p.publicKey, p]));
    for (const p of peers) {
      expect(byKey.get(p.publicKey)).toMatchObject({
        presharedKeySet: p.presharedKey !== null,
        allowedIps: p.allowedIps,
        endpoint: null,
        latestHandshake: null,
        rx: 0,
        tx: 0,
        keepalive: null,
      });
    }
  });

  it("a generated client and server complete a handshake and pass traffic", async () => {
    const srv = ns("s");
    const cli = ns("c");
    const vs = `vs${process.pid}`.slice(0, 15);
    const vc = `vc${process.pid}`.slice(0, 15);
    run("ip", ["link", "add", vs, "netns", srv.name, "type", "veth", "peer", "name", vc, "netns", cli.name]);
    srv.ip("addr", "add", "192.0.2.1/24", "dev", vs);
    cli.ip("addr", "add", "192.0.2.2/24", "dev", vc);
    srv.ip("link", "set", vs, "up");
    cli.ip("link", "set", vc, "up");

    const server = generateKeyPair();
    const client = generateKeyPair();
    const idle = generateKeyPairBrowser();
    const psk = generatePresharedKey();
    await srv.wireguardGo(WGS);
    await cli.wireguardGo(WGC);

    srv.exec(["wg", "setconf", WGS, writeConf("srv.conf", serverConfig({
      privateKey: server.privateKey,
      listenPort: 51820,
      peers: [
        { publicKey: client.publicKey, presharedKey: psk, allowedIps: ["10.8.0.2/32", "fd00::2/128"] },
        { publicKey: idle.publicKey, allowedIps: ["10.8.0.3/32", "fd00::3/128"] },
      ],
    }))]);
    srv.ip("addr", "add", "10.8.0.1/24", "dev", WGS);
    srv.ip("addr", "add", "fd00::1/64", "dev", WGS, "nodad");
    srv.ip("link", "set", WGS, "up");

    const conf = clientConfig({
      privateKey: client.privateKey,
      ipv4: "10.8.0.2",
      ipv6: "fd00::2",
      dns: ["1.1.1.1"],
      mtu: 1420,
      serverPublicKey: server.publicKey,
      presharedKey: psk,
      endpoint: "192.0.2.1:51820",
    });
    // What wg-quick up would do, minus DNS and the default-route dance.
    const stripped = run("wg-quick", ["strip", writeConf("wgc0.conf", conf)]).toString();
    cli.exec(["wg", "setconf", WGC, writeConf("wgc0.stripped", stripped)]);
    cli.ip("addr", "add", "10.8.0.2/32", "dev", WGC);
    cli.ip("addr", "add", "fd00::2/128", "dev", WGC, "nodad");
    cli.ip("link", "set", WGC, "mtu", "1420", "up");
    cli.ip("route", "add", "10.8.0.0/24", "dev", WGC);
    cli.ip("-6", "route", "add", "fd00::/64", "dev", WGC);

    // ping exits 0 as soon as one reply arrives; -w only bounds a run that gets none, far beyond a busy machine's handshake.
    cli.exec(["ping", "-c", "1", "-w", "60", "10.8.0.1"]);
    cli.exec(["ping", "-6", "-c", "1", "-w", "60", "fd00::1"]);

    const dump = srv.exec(["wg", "show", WGS, "dump"]);
    const parsed = parseWgDumpOrThrow(dump);
    expect(JSON.stringify(parsed)).not.toContain(server.privateKey);
    expect(JSON.stringify(parsed)).not.toContain(psk);
    const now = Math.floor(Date.now() / 1000);
    const active = parsed.peers.find((p) => p.publicKey === client.publicKey)!;
    expect(active).toMatchObject({
      presharedKeySet: true,
      endpointIp: "192.0.2.2",
      allowedIps: ["10.8.0.2/32", "fd00::2/128"],
      keepalive: null,
    });
    expect(active.endpoint).toMatch(/^192\.0\.2\.2:\d+$/);
    expect(Math.abs(active.latestHandshake! - now)).toBeLessThan(30);
    expect(active.rx).toBeGreaterThan(0);
    expect(active.tx).toBeGreaterThan(0);
    expect(parsed.peers.find((p) => p.publicKey === idle.publicKey)).toMatchObject({ latestHandshake: null, rx: 0 });

    // The client side sees the server with our keepalive.
    const clientDump = parseWgDumpOrThrow(cli.exec(["wg", "show", WGC, "dump"]));
    expect(clientDump.peers[0]).toMatchObject({ publicKey: server.publicKey, keepalive: 25, allowedIps: ["0.0.0.0/0", "::/0"] });
  });
});

describe.skipIf(!hasZbar)("QR code decodes back byte for byte", () => {
  it("zbarimg reads the exact config text", async () => {
    const text = clientConfig({
      privateKey: generateKeyPair().privateKey,
      ipv4: "10.8.0.2",
      ipv6: "fd00::2",
      dns: ["1.1.1.1", "1.0.0.1"],
      mtu: 1420,
      serverPublicKey: generateKeyPair().publicKey,
      presharedKey: generatePresharedKey(),
      endpoint: "vpn.example.com:51820",
    });
    const file = join(tmp, "qr.png");
    writeFileSync(file, await configQrPng(text));
    const decoded = run("zbarimg", ["--raw", "-q", "-Sbinary", file]);
    expect(decoded.toString("utf8")).toBe(text);
  });
});
