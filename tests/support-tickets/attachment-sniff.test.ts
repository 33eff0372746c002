import { describe, expect, it } from "vitest";
import { contentDisposition, displayFilename, isInlineType, isUtf8Text, sniffAttachment } from "@/lib/support/attachments";
import { PNG_BYTES, bytes } from "./helpers/files";

describe("attachment content checks (magic bytes)", () => {
  it("recognises PNG, JPEG, GIF, WebP and PDF by their bytes, whatever the name says", () => {
    expect(sniffAttachment(PNG_BYTES, "screenshot.pdf")).toEqual({ kind: "image", contentType: "image/png", extension: "png" });
    expect(sniffAttachment(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "photo")).toMatchObject({ contentType: "image/jpeg" });
    expect(sniffAttachment(bytes("GIF89a\x01\x00\x01\x00"), "a.gif")).toMatchObject({ contentType: "image/gif" });
    expect(sniffAttachment(bytes("RIFF\x24\x00\x00\x00WEBPVP8 "), "a.webp")).toMatchObject({ contentType: "image/webp" });
    expect(sniffAttachment(bytes("%PDF-1.7\n%âãÏÓ\n"), "report.txt")).toMatchObject({ contentType: "application/pdf" });
  });

  it("accepts UTF-8 text only as .txt or .log", () => {
    const log = bytes("2024-01-01 wg0: handshake failed ✗\n\tretrying…\r\n\x1b[31mred\x1b[0m\n");
    expect(sniffAttachment(log, "wg.log")).toMatchObject({ kind: "text", contentType: "text/plain; charset=utf-8" });
    expect(sniffAttachment(log, "notes.TXT")).toMatchObject({ kind: "text" });
    expect(sniffAttachment(log, "script.sh")).toBeNull();
    expect(sniffAttachment(log, "noextension")).toBeNull();
  });

  it("refuses executables, HTML, SVG, invalid UTF-8, binary and empty files", () => {
    expect(sniffAttachment(bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), "tool.txt")).toBeNull(); // ELF
    expect(sniffAttachment(bytes("MZ\x90\x00\x03\x00\x00\x00"), "setup.exe")).toBeNull(); // PE
    expect(sniffAttachment(bytes("<!DOCTYPE html><html><script>alert(1)</script>"), "page.html")).toBeNull();
    expect(sniffAttachment(bytes("  <html><body>hi</body></html>"), "page.txt")).toBeNull();
    expect(sniffAttachment(bytes('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), "img.txt")).toBeNull();
    expect(sniffAttachment(bytes([0x68, 0x69, 0xc3, 0x28]), "bad.txt")).toBeNull(); // invalid UTF-8
    expect(sniffAttachment(bytes("abc\x00def"), "nul.log")).toBeNull();
    expect(sniffAttachment(bytes("PK\x03\x04"), "archive.txt")).toBeNull();
    expect(sniffAttachment(new Uint8Array(0), "empty.txt")).toBeNull();
    expect(isUtf8Text(bytes("plain\n"))).toBe(true);
  });

  it("names files for display from the last path segment, with the real extension", () => {
    const png = sniffAttachment(PNG_BYTES, "x.png")!;
    expect(displayFilename("screenshot.pdf", png)).toBe("screenshot.png");
    expect(displayFilename("../../etc/passwd.png", png)).toBe("passwd.png");
    expect(displayFilename("C:\\Users\\me\\shot.PNG", png)).toBe("shot.png");
    expect(displayFilename('a"b;c\r\n.png', png)).toBe("abc.png");
    expect(displayFilename("", png)).toBe("attachment.png");
    const txt = sniffAttachment(bytes("hello"), "a.log")!;
    expect(displayFilename("server.log", txt)).toBe("server.log");
  });

  it("builds a safe Content-Disposition with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("attachment", "résumé (1).pdf")).toBe(`attachment; filename="r_sum_ _1_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.pdf`);
    expect(isInlineType("image/png")).toBe(true);
    expect(isInlineType("application/pdf")).toBe(false);
    expect(isInlineType("text/plain; charset=utf-8")).toBe(false);
  });
});
