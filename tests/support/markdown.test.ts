import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MessageMarkdown } from "@/components/support/markdown";
import { renderEmail } from "@/lib/email/render";
import { ticketReplyEmail } from "@/lib/email/templates/ticket-reply";
import { safeUrl } from "@/lib/support/markdown";
import { Highlight, unescapeHighlight } from "@/components/support/highlight";
import { escapeHtml } from "@/lib/format/html";

const page = (text: string) => renderToStaticMarkup(createElement(MessageMarkdown, { text }));
const email = async (reply: string) => (await renderEmail(ticketReplyEmail({ ticketId: "t1", ticketNumber: "TKT-202612-00001", subject: "Help", reply, from: "Dana from SecureWave support" }))).html;

/** Payloads that must never become markup or a followable link, on the page or in an email. */
const PAYLOADS = [
  "<img src=x onerror=alert(1)>",
  '<script>alert("x")</script>',
  '<a href="javascript:alert(1)">click</a>',
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](java\tscript:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](vbscript:msgbox(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![pixel](data:image/png;base64,iVBORw0KGgo=)",
  "![x](javascript:alert(1))",
  "<iframe src=https://evil.example></iframe>",
  '<div style="background:url(javascript:alert(1))">x</div>',
  "<svg/onload=alert(1)>",
  "[x](<javascript:alert(1)>)",
  "<javascript:alert(1)>",
];

/**
 * No element or attribute a payload could have smuggled in. Text is escaped
 * (a "<" in text is "&lt;"), so every "<" left outside comments opens a real
 * element: none may be active content, carry an event handler or a source,
 * and every link goes to http(s), mailto or a relative address.
 */
function assertInert(html: string) {
  const markup = html.replace(/<!DOCTYPE[^>]*>/, "").replace(/<!--[\s\S]*?-->/g, "");
  for (const [, name, attrs] of markup.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)) {
    expect(["script", "iframe", "svg", "object", "embed", "img", "style", "form", "input", "math", "base", "link", "frame"]).not.toContain(name!.toLowerCase());
    expect(attrs, `<${name}${attrs}>`).not.toMatch(/\son[a-z]+\s*=|\ssrc\s*=|\sstyle="[^"]*url\(/i);
    for (const [, href] of attrs!.matchAll(/\shref="([^"]*)"/g)) expect(href, href).toMatch(/^(https?:|mailto:|\/|#|[^:]*$)/i);
  }
}

describe("safe Markdown in the conversation", () => {
  it.each(PAYLOADS)("renders %s inert", (payload) => {
    const html = page(payload);
    assertInert(html);
  });

  it("shows raw HTML as the text it is, so nothing a customer wrote disappears", () => {
    const html = page("My log says <Error code=5> and <img src=x onerror=alert(1)>");
    expect(html).toContain("&lt;Error code=5&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("renders links, code, lists, emphasis and line breaks; links carry rel noopener noreferrer nofollow", () => {
    const html = page("Try **this**:\n\n1. open `wg show`\n2. see https://example.com/docs\n\n```\nwg-quick up wg0\n```\n\n[the guide](https://securewave.example/guide)\nline two");
    expect(html).toContain("<strong>this</strong>");
    expect(html).toMatch(/<ol[^>]*>\n<li>open <code[^>]*>wg show<\/code><\/li>/);
    expect(html).toMatch(/<a href="https:\/\/example.com\/docs" rel="noopener noreferrer nofollow" target="_blank"[^>]*>https:\/\/example.com\/docs<\/a>/);
    expect(html).toMatch(/<pre[^>]*><code[^>]*>wg-quick up wg0\n<\/code><\/pre>/);
    expect(html).toMatch(/<a href="https:\/\/securewave.example\/guide" rel="noopener noreferrer nofollow"[^>]*>the guide<\/a><br\/>\nline two/);
  });

  it("turns an image into a link to it (no request leaves the page by itself), and drops an unsafe one's address", () => {
    expect(page("![screenshot](https://example.com/a.png)")).toMatch(/<a href="https:\/\/example.com\/a.png" rel="noopener noreferrer nofollow"[^>]*>screenshot<\/a>/);
    const html = page("[click](javascript:alert(1))");
    expect(html).not.toContain("<a ");
    expect(html).toContain("click");
  });

  it("keeps a link's address only for http(s), mailto and relative paths", () => {
    expect(safeUrl("https://example.com/x?y=1#z")).toBe("https://example.com/x?y=1#z");
    expect(safeUrl("mailto:help@securewave.example")).toBe("mailto:help@securewave.example");
    expect(safeUrl("/support/abc")).toBe("/support/abc");
    for (const bad of ["javascript:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "ftp://x", "irc://x", "xmpp:x"]) {
      expect(safeUrl(bad), bad).toBe("");
    }
  });
});

describe("safe Markdown in ticket emails", () => {
  it.each(PAYLOADS)("renders %s inert", async (payload) => {
    assertInert(await email(payload));
  });

  it("renders the reply's Markdown with inline styles, links with rel, raw HTML as text", async () => {
    const { html, text } = await renderEmail(
      ticketReplyEmail({ ticketId: "t1", ticketNumber: "TKT-202612-00001", subject: "Help", reply: "Run `wg show` then see [the guide](https://securewave.example/guide).\n\n- one\n- two <b>bold</b>", from: "Support" }),
    );
    expect(html).toMatch(/<code style="[^"]+">wg show<\/code>/);
    expect(html).toMatch(/<a href="https:\/\/securewave.example\/guide" rel="noopener noreferrer nofollow" target="_blank" style="[^"]+">the guide<\/a>/);
    expect(html).toMatch(/<li>one<\/li>/);
    expect(html.replaceAll("<!-- -->", "")).toContain("two &lt;b&gt;bold&lt;/b&gt;");
    expect(text).toContain("the guide");
    expect(text).toContain("two <b>bold</b>");
  });
});

describe("search highlights", () => {
  it("show what the escaper escaped as the characters typed, and only <mark> as markup", () => {
    const subject = `Can't connect <b>"home" & work</b>`;
    const html = `${escapeHtml("Can't")} <mark>${escapeHtml("connect")}</mark> ${escapeHtml(`<b>"home" & work</b>`)}`;
    expect(unescapeHighlight(escapeHtml(subject))).toBe(subject);
    const markup = renderToStaticMarkup(createElement(Highlight, { html }));
    expect(markup).toContain("<mark");
    expect(markup).not.toContain("&amp;#39;");
    expect(markup).not.toContain("<b>");
    // React escapes the text it renders once: the reader sees Can't, not Can&#39;t.
    expect(markup.replace(/<[^>]+>/g, "")).toBe("Can&#x27;t connect &lt;b&gt;&quot;home&quot; &amp; work&lt;/b&gt;");
  });
});
