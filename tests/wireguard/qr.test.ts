import { describe, expect, it } from "vitest";
import { configQrPng, QR_OPTIONS } from "@/lib/wireguard/qr";
import { clientConfig } from "@/lib/wireguard/config";

const config = clientConfig({
  privateKey: "cG897uKmWUuTqQk9iI3VWNaO48JmlTT53x9TlQTujFE=",
  ipv4: "10.8.0.2",
  ipv6: "fd00::2",
  dns: ["1.1.1.1", "1.0.0.1"],
  mtu: 1420,
  serverPublicKey: "ooK16wBW6qAdf5ZxVrl32Ken/MKm+H4CYjCs01wbbSw=",
  presharedKey: "XfVpRg2olBBuLnr5dRumLeIw06T9soOmVMH1FZlLUPY=",
  endpoint: "vpn.example.com:51820",
});

describe("configQrPng", () => {
  it("uses level L, a 4-module border and 10 px modules", () => {
    expect(QR_OPTIONS).toMatchObject({ errorCorrectionLevel: "L", margin: 4, scale: 10 });
  });

  it("renders a PNG sized (modules + 8) * 10", async () => {
    const png = await configQrPng(config);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBe(height);
    expect(width % 10).toBe(0);
    const modules = width / 10 - 8;
    // QR versions have 21 + 4v modules per side; a ~330-byte config at level L fits version 10-13.
    expect((modules - 17) % 4).toBe(0);
    expect(modules).toBeLessThanOrEqual(77);
  });
});
