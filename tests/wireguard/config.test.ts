import { describe, expect, it } from "vitest";
import { clientConfig, formatEndpoint, serverConfig, serverWgQuickConfig } from "@/lib/wireguard/config";

const SERVER_PUB = "ooK16wBW6qAdf5ZxVrl32Ken/MKm+H4CYjCs01wbbSw=";
const CLIENT_PRIV = "cG897uKmWUuTqQk9iI3VWNaO48JmlTT53x9TlQTujFE=";
const PSK = "XfVpRg2olBBuLnr5dRumLeIw06T9soOmVMH1FZlLUPY=";
const PEER_A = "O2yBr+O5mvQjgLjmsVvpmMLXR7fXICWWAsOlzkqeki0=";
const PEER_B = "RSGeosII0WAlwoZ9F1avF9fOt7NhI1iIQHfvLaYf4DA=";

const base = {
  privateKey: CLIENT_PRIV,
  ipv4: "10.8.0.2",
  ipv6: "fd00::2",
  dns: ["1.1.1.1", "1.0.0.1"],
  mtu: 1420,
  serverPublicKey: SERVER_PUB,
  presharedKey: PSK,
  endpoint: "vpn.example.com:51820",
};

describe("clientConfig", () => {
  it("renders the full wg-quick config", () => {
    expect(clientConfig(base)).toBe(
      `[Interface]
PrivateKey = ${CLIENT_PRIV}
Address = 10.8.0.2/32, fd00::2/128
DNS = 1.1.1.1, 1.0.0.1
MTU = 1420

[Peer]
PublicKey = ${SERVER_PUB}
PresharedKey = ${PSK}
Endpoint = vpn.example.com:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
`,
    );
  });

  it("omits PrivateKey for bring-your-own-key peers, and DNS/PSK when empty; MTU falls back to wg-quick's 1420", () => {
    expect(
      clientConfig({ ...base, privateKey: null, dns: [], mtu: null, presharedKey: null, endpoint: "[2001:db8::1]:51820" }),
    ).toBe(
      `[Interface]
Address = 10.8.0.2/32, fd00::2/128
MTU = 1420

[Peer]
PublicKey = ${SERVER_PUB}
Endpoint = [2001:db8::1]:51820
AllowedIPs = 0.0.0.0/0, ::/0
PersistentKeepalive = 25
`,
    );
  });

  it("honours custom AllowedIPs, keepalive off and explicit prefixes", () => {
    const text = clientConfig({
      ...base,
      ipv4: "10.8.0.2/32",
      allowedIps: ["10.8.0.0/24", "fd00::/64"],
      keepalive: null,
    });
    expect(text).toContain("Address = 10.8.0.2/32, fd00::2/128\n");
    expect(text).toContain("AllowedIPs = 10.8.0.0/24, fd00::/64\n");
    expect(text).not.toContain("PersistentKeepalive");
    expect(text.endsWith("AllowedIPs = 10.8.0.0/24, fd00::/64\n")).toBe(true);
  });

  it("refuses values that would inject extra lines", () => {
    expect(() => clientConfig({ ...base, dns: ["1.1.1.1\nPostUp = rm -rf /"] })).toThrow(/line breaks/);
    expect(() => clientConfig({ ...base, endpoint: "x:1\r\n[Peer]" })).toThrow(/line breaks/);
  });

  it("validates the MTU", () => {
    expect(() => clientConfig({ ...base, mtu: 100 })).toThrow(/MTU/);
    expect(() => clientConfig({ ...base, mtu: 1420.5 })).toThrow(/MTU/);
  });
});

describe("formatEndpoint", () => {
  it("brackets IPv6 hosts only", () => {
    expect(formatEndpoint("vpn.example.com", 51820)).toBe("vpn.example.com:51820");
    expect(formatEndpoint("203.0.113.7", 51820)).toBe("203.0.113.7:51820");
    expect(formatEndpoint("2001:db8::1", 51820)).toBe("[2001:db8::1]:51820");
    expect(formatEndpoint("[2001:db8::1]", 51820)).toBe("[2001:db8::1]:51820");
  });
});

describe("serverConfig", () => {
  const input = {
    privateKey: CLIENT_PRIV,
    listenPort: 51820,
    peers: [
      { publicKey: PEER_A, presharedKey: PSK, allowedIps: ["10.8.0.2/32", "fd00::2/128"] },
      { publicKey: PEER_B, allowedIps: ["10.8.0.3/32", "fd00::3/128"] },
    ],
  };

  it("renders wg setconf format", () => {
    expect(serverConfig(input)).toBe(
      `[Interface]
PrivateKey = ${CLIENT_PRIV}
ListenPort = 51820

[Peer]
PublicKey = ${PEER_A}
PresharedKey = ${PSK}
AllowedIPs = 10.8.0.2/32, fd00::2/128

[Peer]
PublicKey = ${PEER_B}
AllowedIPs = 10.8.0.3/32, fd00::3/128
`,
    );
  });

  it("carries the interface MTU as a comment line that wg skips", () => {
    expect(serverConfig({ ...input, mtu: 1380, peers: [] })).toBe(`[Interface]\nPrivateKey = ${CLIENT_PRIV}\nListenPort = 51820\n# securewave: mtu=1380\n`);
    expect(() => serverConfig({ ...input, mtu: 70000 })).toThrow(/MTU/);
  });

  it("renders an interface with no peers", () => {
    expect(serverConfig({ ...input, peers: [] })).toBe(`[Interface]\nPrivateKey = ${CLIENT_PRIV}\nListenPort = 51820\n`);
  });

  it("wg-quick variant adds the server's own addresses", () => {
    const text = serverWgQuickConfig({ ...input, ipv4Pool: "10.8.0.0/24", ipv6Pool: "fd00::/64" });
    expect(text.split("\n").slice(0, 4)).toEqual([
      "[Interface]",
      "Address = 10.8.0.1/24, fd00::1/64",
      `PrivateKey = ${CLIENT_PRIV}`,
      "ListenPort = 51820",
    ]);
    expect(text.slice(text.indexOf("\n[Peer]"))).toBe(serverConfig(input).slice(serverConfig(input).indexOf("\n[Peer]")));
  });

  it("rejects bad listen ports", () => {
    expect(() => serverConfig({ ...input, listenPort: 0 })).toThrow(/ListenPort/);
    expect(() => serverConfig({ ...input, listenPort: 70000 })).toThrow(/ListenPort/);
  });

  it("renders 10,000 peers, each once", () => {
    const peers = Array.from({ length: 10_000 }, (_, i) => ({
      publicKey: PEER_A,
      presharedKey: PSK,
      allowedIps: [`10.8.${i >> 8}.${i & 255}/32`, `fd00::${i.toString(16)}/128`],
    }));
    let text = serverConfig({ ...input, peers }); // warm up
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      text = serverConfig({ ...input, peers });
      best = Math.min(best, performance.now() - t0);
    }
    expect(text.split("[Peer]")).toHaveLength(10_001);
    expect(text.length).toBeGreaterThan(10_000 * 150);
    // Reported, not asserted: speed is the benchmarks' business, not a verdict that a busy machine can flip.
    console.info(`serverConfig: 10,000 peers in ${best.toFixed(1)} ms (best of 5)`);
  });
});
