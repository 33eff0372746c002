import { defaultUrlTransform, type Options } from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";

/**
 * Security-critical: how a ticket message's Markdown may render, in the
 * conversation and in emails alike. Links, emphasis, code, lists, quotes
 * and tables; never HTML: raw HTML in a message is shown as the text it is
 * (react-markdown without rehype-raw turns it into text, React escapes it),
 * images become links (no tracking pixel, no data: URL), and a link keeps
 * its address only for http(s), mailto or a relative path.
 */
export const MARKDOWN_ELEMENTS = [
  "p", "br", "a", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
  "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img", "input",
] as const;

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** A link's address if it is safe to follow, else "" (the renderer then shows the text without a link). */
export function safeUrl(url: string): string {
  // react-markdown's own rule first (it refuses javascript:, data:, vbscript:…), then a narrower list.
  const cleaned = defaultUrlTransform(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ""));
  if (!cleaned) return "";
  const scheme = SCHEME.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme === undefined) return cleaned;
  return scheme === "http" || scheme === "https" || scheme === "mailto" ? cleaned : "";
}

/** Every `rel` a rendered link carries: no access to this window, no referrer, no endorsement. */
export const LINK_REL = "noopener noreferrer nofollow";

/** The options both renderers share; each adds its own look through `components`. */
export const markdownOptions: Readonly<Omit<Options, "children" | "components">> = {
  // A line break typed in the composer stays a line break, as in a chat or an email.
  remarkPlugins: [remarkGfm, remarkBreaks],
  allowedElements: [...MARKDOWN_ELEMENTS],
  unwrapDisallowed: true,
  urlTransform: safeUrl,
};

/** Headings inside a message are emphasis, not the page's (or the email's) outline: every level drawn by one component. */
export function headingsAs<C>(component: C): Record<"h1" | "h2" | "h3" | "h4" | "h5" | "h6", C> {
  return { h1: component, h2: component, h3: component, h4: component, h5: component, h6: component };
}
