// PNG QR code of a client config for the WireGuard mobile apps. Level L keeps
// the code as small (fewest modules) as possible for a ~300-byte config,
// which is what makes it readable off a laptop screen; 10 px per module (the
// feature's specification) and the standard 4-module quiet zone do the rest.
import QRCode from "qrcode";

export const QR_OPTIONS = {
  type: "png",
  errorCorrectionLevel: "L",
  margin: 4,
  scale: 10,
} as const;

export function configQrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, QR_OPTIONS);
}
