/**
 * Security-critical: what an uploaded file really is, decided by its bytes,
 * never by the name or the Content-Type the browser sent. Only images, PDFs
 * and UTF-8 text logs are accepted; everything else (executables, HTML, SVG,
 * archives…) is refused. Pure functions, no I/O.
 */

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;
/** A message's body: every file at its maximum plus room for the text fields and multipart framing. */
export const MULTIPART_LIMIT = MAX_ATTACHMENTS_PER_MESSAGE * MAX_ATTACHMENT_BYTES + 1_000_000;

export type AttachmentKind = "image" | "pdf" | "text";
export interface SniffedType {
  kind: AttachmentKind;
  contentType: string;
  extension: string;
}

const startsWith = (b: Uint8Array, sig: number[], offset = 0) => b.length >= offset + sig.length && sig.every((v, i) => b[offset + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const BINARY: Array<{ test: (b: Uint8Array) => boolean; type: SniffedType }> = [
  { test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), type: { kind: "image", contentType: "image/png", extension: "png" } },
  { test: (b) => startsWith(b, [0xff, 0xd8, 0xff]), type: { kind: "image", contentType: "image/jpeg", extension: "jpg" } },
  { test: (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a")), type: { kind: "image", contentType: "image/gif", extension: "gif" } },
  { test: (b) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8), type: { kind: "image", contentType: "image/webp", extension: "webp" } },
  { test: (b) => startsWith(b, ascii("%PDF-")), type: { kind: "pdf", contentType: "application/pdf", extension: "pdf" } },
];

const TEXT_TYPE: SniffedType = { kind: "text", contentType: "text/plain; charset=utf-8", extension: "txt" };
const TEXT_EXTENSIONS = ["txt", "log"];

/** Markup a browser might render or sniff as a document, even from a ".txt". */
const MARKUP_START = /^\s*<(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta|style|img|a\b|div|!--)/i;

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(filename);
  return m ? m[1]!.toLowerCase() : "";
}

/**
 * UTF-8 text a support agent can read: decodes strictly, and has no NUL or
 * other control characters than tab, line breaks, form feed and ESC (colour
 * codes in logs).
 */
export function isUtf8Text(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
    if (/[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f]/.test(text)) return false;
  return !MARKUP_START.test(text.replace(/^\uFEFF/, ""));
}

/**
 * The type of an upload from its first bytes (magic numbers); text only when
 * the name says .txt or .log and the whole content is clean UTF-8. Null:
 * refuse the file.
 */
export function sniffAttachment(bytes: Uint8Array, filename: string): SniffedType | null {
  if (bytes.length === 0) return null;
  for (const { test, type } of BINARY) if (test(bytes)) return type;
  if (TEXT_EXTENSIONS.includes(extensionOf(filename)) && isUtf8Text(bytes)) return TEXT_TYPE;
  return null;
}

/**
 * The name shown to people and sent in Content-Disposition: the last path
 * segment, without control or quoting characters, at most 120 characters,
 * with the extension of what the bytes really are (a PNG sent as "x.pdf"
 * becomes "x.png"). Never used on disk.
 */
export function displayFilename(original: string, type: SniffedType): string {
  const base = (original.split(/[\\/]/).pop() ?? "")
        .replace(/[\u0000-\u001f\u007f"<>|:*?;]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  const ext = extensionOf(base);
  const keepExt = type.kind === "text" ? TEXT_EXTENSIONS.includes(ext) : ext === type.extension || (type.extension === "jpg" && ext === "jpeg");
  const stem = (ext ? base.slice(0, -(ext.length + 1)) : base).slice(0, 100) || "attachment";
  return `${stem}.${keepExt ? ext : type.extension}`;
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(disposition: "inline" | "attachment", filename: string): string {
  const fallback = filename.replace(/[^A-Za-z0-9._ -]/g, "_") || "attachment";
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Images may be shown in the page; anything else is a download. */
export const isInlineType = (contentType: string) => /^image\/(png|jpeg|gif|webp)$/.test(contentType);
