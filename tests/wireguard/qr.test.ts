import { describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { configQrPng, configQrSvg, QR_OPTIONS } from "@/lib/wireguard/qr";
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

  it("paints whole 10-px modules in black and white, with a white 4-module quiet zone", async () => {
    const img = PNG.sync.read(await configQrPng(config));
    const at = (x: number, y: number) => img.data[(y * img.width + x) * 4]!;
    // Quiet zone: 40 px of white all around.
    for (const [x, y] of [[0, 0], [39, 39], [img.width - 1, img.height - 1], [39, img.height - 41]]) expect(at(x!, y!)).toBe(255);
    // The finder pattern's top-left module is dark, over all of its 10 × 10 pixels; the next ring is light.
    for (let y = 40; y < 50; y++) for (let x = 40; x < 50; x++) expect(at(x, y)).toBe(0);
    expect(at(55, 55)).toBe(255);
    // Only black and white.
    const values = new Set<number>();
    for (let i = 0; i < img.data.length; i += 4) values.add(img.data[i]!);
    expect([...values].sort()).toEqual([0, 255]);
  });

  it("offers the same code as SVG", async () => {
    const svg = await configQrSvg(config);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("<path");
  });
});
