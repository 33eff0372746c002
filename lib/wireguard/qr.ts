import "server-only";

// PNG QR code of a client config for the WireGuard mobile apps. Level L keeps
// the code as small (fewest modules) as possible for a ~300-byte config,
// which is what makes it readable off a laptop screen; 10 px per module (the
// feature's specification) and the standard 4-module quiet zone do the rest.
//
// The matrix comes from `qrcode`; the image is written here as 8-bit
// grayscale with pngjs, one module row built once and copied for its ten
// pixel rows. qrcode's own PNG renderer paints every pixel as RGBA (four
// times the bytes, a function call per pixel) and took most of the time of
// a QR answer (docs/decisions/017-qr-and-config-latency.md).
import { PNG } from "pngjs";
import QRCode from "qrcode";

export const QR_OPTIONS = {
  type: "png",
  errorCorrectionLevel: "L",
  margin: 4,
  scale: 10,
} as const;

const BLACK = 0;
const WHITE = 255;

/** The code's modules: size × size, 1 for dark. */
function matrix(text: string): { size: number; dark: Uint8Array } {
  const code = QRCode.create(text, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  return { size: code.modules.size, dark: code.modules.data as unknown as Uint8Array };
}

export function configQrPngSync(text: string): Buffer {
  const { size, dark } = matrix(text);
  const { margin, scale } = QR_OPTIONS;
  const side = (size + 2 * margin) * scale;
  const pixels = Buffer.alloc(side * side, WHITE);
  const row = Buffer.alloc(side);
  for (let r = 0; r < size; r++) {
    row.fill(WHITE);
    for (let c = 0; c < size; c++) {
      if (dark[r * size + c]) row.fill(BLACK, (margin + c) * scale, (margin + c + 1) * scale);
    }
    const top = (margin + r) * scale;
    for (let y = 0; y < scale; y++) row.copy(pixels, (top + y) * side);
  }
  const png = new PNG({ width: side, height: side, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = pixels;
  // No row filter (its search tries five per row) and fast deflate: identical rows compress to almost nothing anyway.
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8, filterType: 0, deflateLevel: 6 });
}

export async function configQrPng(text: string): Promise<Buffer> {
  return configQrPngSync(text);
}

/** The same code as SVG (GET …/qr?format=svg): one path, scalable, a few kB. */
export function configQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel, margin: QR_OPTIONS.margin });
}
