/**
 * A search highlight as the API sends it (escaped text, matches in <mark>),
 * rendered as React text and <mark> elements: never as HTML.
 */
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
/** The inverse of lib/format/html.ts's escapeHtml, which the search highlight is built with. */
export const unescapeHighlight = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
const unescape = unescapeHighlight;

export function Highlight({ html, className }: { html: string; className?: string }) {
  const parts = html.split(/<mark>([\s\S]*?)<\/mark>/);
  return (
    <span className={className} data-testid="search-highlight">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-300">
            {unescape(part)}
          </mark>
        ) : (
          unescape(part)
        ),
      )}
    </span>
  );
}
