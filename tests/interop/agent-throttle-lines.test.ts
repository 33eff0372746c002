// The agent's reading of its `# securewave: throttle` lines, without a
// tunnel: the shipped script's own `wanted_throttles` on made-up configs, and
// the whole script once with stub `curl`, `wg`, `tc` and `ip` that record what
// they are asked to do. Decision 016: a line whose `until` has passed no
// longer counts, so a throttle ends on time even while the control plane
// cannot be reached. Each case runs under dash (Debian's sh), busybox sh, and
// busybox sh with busybox's own awk, sort, date… where busybox is installed.
//
// The untils lie an hour or more away from now: no verdict depends on timing.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const AGENT = resolve("agent/securewave-agent.sh");
const BUSYBOX = ["/usr/bin/busybox", "/bin/busybox"].find((p) => existsSync(p)) ?? null;
const DASH = ["/usr/bin/dash", "/bin/dash"].find((p) => existsSync(p)) ?? "/bin/sh";
const IFACE = "wg0";

/** The applets the agent uses that this busybox has (Debian's lacks cksum, which then comes from coreutils). */
const APPLETS = ["awk", "sort", "date", "sed", "cut", "wc", "tr", "head", "tail", "cat", "cp", "rm", "mktemp", "mkdir", "cksum"];

interface Shell {
  name: string;
  argv: string[];
  /** Directories put before /usr/bin:/bin on PATH. */
  path: string[];
}

let tmp = "";
let busyboxBin = "";
const shells = (): Shell[] => [
  { name: "dash", argv: [DASH], path: [] },
  ...(BUSYBOX
    ? [
        { name: "busybox sh", argv: [BUSYBOX, "sh"], path: [] },
        { name: "busybox sh with busybox applets", argv: [BUSYBOX, "sh"], path: [busyboxBin] },
      ]
    : []),
];
if (!BUSYBOX) console.warn("[agent-throttle-lines] busybox is not installed: the cases run under dash only");

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "sw-agent-lines-"));
  busyboxBin = join(tmp, "busybox-bin");
  mkdirSync(busyboxBin);
  if (BUSYBOX) {
    const list = spawnSync(BUSYBOX, ["--list"], { encoding: "utf8" }).stdout.split("\n");
    for (const applet of APPLETS) if (list.includes(applet)) symlinkSync(BUSYBOX, join(busyboxBin, applet));
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const now = () => Math.floor(Date.now() / 1000);
const line = (v4: string, v6: string, rate: number | string, until: number | string) => `# securewave: throttle ${v4}/32 ${v6}/128 ${rate} ${until}`;
const PATH_OF = (sh: Shell, ...first: string[]) => [...first, ...sh.path, "/usr/bin", "/bin"].join(":");

/** The shipped script's wanted_throttles, word for word. */
function wantedThrottlesFunction(): string {
  const m = /^wanted_throttles\(\) \{[\s\S]*?^\}$/m.exec(readFileSync(AGENT, "utf8"));
  if (!m) throw new Error("wanted_throttles() not found in agent/securewave-agent.sh");
  return m[0];
}

function wanted(sh: Shell, config: string): string[] {
  const file = join(tmp, `conf-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, config);
  const [cmd, ...args] = sh.argv;
  const r = spawnSync(cmd!, [...args, "-c", `set -u\n${wantedThrottlesFunction()}\nwanted_throttles "$1"`, "sh", file], {
    encoding: "utf8",
    // A clean environment: what the agent reads comes from here alone.
    env: { NODE_ENV: "test", PATH: PATH_OF(sh), LC_ALL: "C" },
  });
  expect(r.status, `${sh.name}: ${r.stderr}`).toBe(0);
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

describe("wanted_throttles: the throttles in force, read from the applied config", () => {
  it.each(["dash", "busybox sh", "busybox sh with busybox applets"])("under %s: a line whose until has passed is dropped, a live one kept", (name) => {
    const sh = shells().find((s) => s.name === name);
    if (!sh) return; // busybox missing: warned once above
    const t = now();
    const config = [
      "[Interface]",
      "PrivateKey = (redacted)",
      "ListenPort = 51820",
      "# securewave: mtu=1420",
      line("10.9.0.2", "fd09::2", 2000, t + 3600),
      // Ended an hour ago: the control plane would have left it out; an old applied config still has it.
      line("10.9.0.3", "fd09::3", 512, t - 3600),
      // Ended long ago, and the epoch itself.
      line("10.9.0.4", "fd09::4", 512, 1),
      line("10.9.0.5", "fd09::5", 512, 0),
      // Far ahead, past 2038 (32-bit seconds).
      line("10.9.0.6", "fd09::6", 8, 4_102_444_800),
      // The same line twice (two keys of one device in their grace) counts once.
      line("10.9.0.2", "fd09::2", 2000, t + 3600),
      "",
      "[Peer]",
      "PublicKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "AllowedIPs = 10.9.0.2/32, fd09::2/128",
    ].join("\n");
    expect(wanted(sh, config)).toEqual(["10.9.0.2/32 fd09::2/128 2000", "10.9.0.6/32 fd09::6/128 8"]);
  });

  it.each(["dash", "busybox sh", "busybox sh with busybox applets"])("under %s: malformed lines are skipped; none in force is empty", (name) => {
    const sh = shells().find((s) => s.name === name);
    if (!sh) return;
    const later = now() + 3600;
    const malformed = [
      "# securewave: throttle 10.9.0.7/32 fd09::7/128 2000", // no until
      `# securewave: throttle 10.9.0.7/24 fd09::7/128 2000 ${later}`, // not one address
      `# securewave: throttle 10.9.0.7/32 fd09::7/64 2000 ${later}`,
      `# securewave: throttle 10.9.0.7/32 fd09::7/128 7 ${later}`, // below 8 kbit/s
      `# securewave: throttle 10.9.0.7/32 fd09::7/128 2mbit ${later}`,
      `# securewave: throttle 10.9.0.7/32 fd09::7/128 2000 ${later}.5`,
      `# securewave: throttle 10.9.0.7/32 fd09::7/128 2000 -${later}`,
      `#securewave: throttle 10.9.0.7/32 fd09::7/128 2000 ${later}`,
      `# securewave: throttles 10.9.0.7/32 fd09::7/128 2000 ${later}`,
      `PublicKey = # securewave: throttle 10.9.0.7/32 fd09::7/128 2000 ${later}`,
    ];
    expect(wanted(sh, ["[Interface]", ...malformed].join("\n"))).toEqual([]);
    expect(wanted(sh, [...malformed, line("10.9.0.8", "fd09::8", 64, later)].join("\n"))).toEqual(["10.9.0.8/32 fd09::8/128 64"]);
    // Only ended lines: nothing in force (the agent then removes what it added).
    expect(wanted(sh, line("10.9.0.9", "fd09::9", 64, now() - 7200))).toEqual([]);
  });
});

/**
 * Stubs for the commands the agent runs, each appending its arguments to
 * `calls`: curl answers as `curl.mode` says (unreachable: exit 7; a number:
 * that HTTP status); tc and ip report the tree the files `root`, `ingress`,
 * `filters` and `ifb` describe, and `tc -batch` appends its batch to `batch`.
 */
function writeStubs(dir: string) {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nS='${dir}'\necho "${name} $*" >> "$S/calls"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub(
    "curl",
    `mode=$(cat "$S/curl.mode")
case "$mode" in
  unreachable) echo "curl: (7) Failed to connect" >&2; exit 7 ;;
  *) printf %s "$mode"; exit 0 ;;
esac`,
  );
  stub("wg", "exit 0");
  stub(
    "tc",
    `case "$*" in
  "qdisc show dev ${IFACE} ingress") [ -e "$S/ingress" ] && echo "qdisc ingress ffff: parent ffff:fff1 ----------------" ;;
  "qdisc show dev ${IFACE}") [ -e "$S/root" ] && cat "$S/root"; [ -e "$S/ingress" ] && echo "qdisc ingress ffff: parent ffff:fff1 ----------------" ;;
  "filter show dev ${IFACE} parent ffff: prio"*) [ -e "$S/filters" ] && echo "filter parent ffff: protocol ip pref $8 u32 chain 0" ;;
  "-batch "*) cat "$2" >> "$S/batch" ;;
esac
exit 0`,
  );
  stub(
    "ip",
    `case "$*" in
  "link show dev swtc"*) [ -e "$S/ifb" ]; exit $? ;;
  "link show dev ${IFACE}") echo "5: ${IFACE}: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN" ;;
  "link add "*) : > "$S/ifb" ;;
  "link del "*) rm -f "$S/ifb" ;;
esac
exit 0`,
  );
  return bin;
}

describe("the agent ends a throttle on time while the control plane cannot be reached", () => {
  const cases = ["dash", "busybox sh", "busybox sh with busybox applets"] as const;

  /** A state as a cycle left it: the applied config, the record of what was built, and that tree live on the interface. */
  function setUp(sh: Shell, label: string, config: string, record: string[], mode: string) {
    const dir = join(tmp, `${label}-${sh.name.replace(/\W+/g, "-")}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const bin = writeStubs(dir);
    const state = join(dir, "state");
    mkdirSync(state);
    writeFileSync(join(state, `${IFACE}.conf`), config);
    writeFileSync(join(state, `${IFACE}.etag`), '"v1"');
    if (record.length) writeFileSync(join(state, `${IFACE}.throttles`), `${record.join("\n")}\n`);
    for (const f of ["root", "ingress", "filters", "ifb"]) writeFileSync(join(dir, f), f === "root" ? "qdisc htb 5357: root refcnt 2 r2q 10 default 0 direct_packets_stat 0\n" : "");
    writeFileSync(join(dir, "curl.mode"), mode);
    const [cmd, ...args] = sh.argv;
    const r = spawnSync(cmd!, [...args, AGENT, "--once"], {
      encoding: "utf8",
      timeout: 60_000,
      env: {
        NODE_ENV: "test",
        PATH: PATH_OF(sh, bin),
        LC_ALL: "C",
        SECUREWAVE_URL: "http://127.0.0.1:9",
        SECUREWAVE_TOKEN: "swa_test",
        WG_INTERFACE: IFACE,
        STATE_DIR: state,
        LATENCY_MAX: "0",
      },
    });
    const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8") : "");
    return {
      r,
      calls: read(join(dir, "calls")).split("\n").filter(Boolean),
      batch: read(join(dir, "batch")),
      record: read(join(state, `${IFACE}.throttles`)),
      ifb: existsSync(join(dir, "ifb")),
    };
  }

  const config = (...lines: string[]) => ["[Interface]", "ListenPort = 51820", ...lines, ""].join("\n");

  it.each(cases)("under %s: the only throttle ended, the pull fails (curl exit 7, then HTTP 502): everything the agent added is removed", (name) => {
    const sh = shells().find((s) => s.name === name);
    if (!sh) return;
    for (const mode of ["unreachable", "502"]) {
      const ended = now() - 3600;
      const out = setUp(sh, `ended-${mode}`, config(line("10.9.1.2", "fd09:1::2", 2000, ended)), ["10.9.1.2/32 fd09:1::2/128 2000"], mode);
      expect(out.r.status, `${mode}: ${out.r.stdout}${out.r.stderr}`).toBe(3);
      expect(out.r.stderr).toMatch(mode === "unreachable" ? /config pull: cannot reach http:\/\/127\.0\.0\.1:9 \(curl exit 7\)/ : /config pull: unexpected HTTP 502/);
      expect(out.r.stdout).toMatch(/securewave-agent\[wg0\] throttles: none in force, limits removed/);
      expect(out.calls).toEqual(
        expect.arrayContaining([
          `tc qdisc del dev ${IFACE} root`,
          `tc filter del dev ${IFACE} parent ffff: prio 21335`,
          `tc filter del dev ${IFACE} parent ffff: prio 21336`,
          expect.stringMatching(/^ip link del dev swtc\d+$/),
        ]),
      );
      expect(out.batch).toBe("");
      expect(out.record).toBe("");
      expect(out.ifb).toBe(false);
    }
  });

  it.each(cases)("under %s: one of two throttles ended while unreachable: the tree is rebuilt with the other alone", (name) => {
    const sh = shells().find((s) => s.name === name);
    if (!sh) return;
    const t = now();
    const out = setUp(
      sh,
      "one-of-two",
      config(line("10.9.1.2", "fd09:1::2", 2000, t - 3600), line("10.9.1.3", "fd09:1::3", 512, t + 3600)),
      ["10.9.1.2/32 fd09:1::2/128 2000", "10.9.1.3/32 fd09:1::3/128 512"],
      "unreachable",
    );
    expect(out.r.status, out.r.stdout + out.r.stderr).toBe(3);
    expect(out.r.stdout).toMatch(/throttles: 1 device\(s\) limited/);
    expect(out.record).toBe("10.9.1.3/32 fd09:1::3/128 512\n");
    expect(out.batch).toContain(`qdisc add dev ${IFACE} root handle 5357: htb default 0`);
    expect(out.batch).toContain("match ip dst 10.9.1.3/32");
    expect(out.batch).toContain("match ip6 src fd09:1::3/128");
    expect(out.batch).toContain("rate 512kbit ceil 512kbit");
    expect(out.batch).not.toContain("10.9.1.2");
    expect(out.batch).not.toContain("fd09:1::2");
  });

  it.each(cases)("under %s: nothing ended while unreachable: the live tree is left as it is", (name) => {
    const sh = shells().find((s) => s.name === name);
    if (!sh) return;
    const out = setUp(sh, "unchanged", config(line("10.9.1.3", "fd09:1::3", 512, now() + 3600)), ["10.9.1.3/32 fd09:1::3/128 512"], "unreachable");
    expect(out.r.status).toBe(3);
    expect(out.r.stdout).toBe("");
    expect(out.calls.filter((c) => /^(tc|ip) /.test(c) && !/ show /.test(c))).toEqual([]);
    expect(out.record).toBe("10.9.1.3/32 fd09:1::3/128 512\n");
  });
});
