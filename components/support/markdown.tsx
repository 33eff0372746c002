import Markdown, { type Components } from "react-markdown";
import { headingsAs, LINK_REL, markdownOptions } from "@/lib/support/markdown";

const heading: Components["h1"] = ({ children }) => <p className="font-semibold">{children}</p>;

/** The conversation's look; what may render at all is decided by lib/support/markdown.ts. */
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} rel={LINK_REL} target="_blank" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // An image is shown as a link to it: no request leaves the page by itself.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} rel={LINK_REL} target="_blank" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        {alt || src}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  input: ({ checked }) => <span aria-hidden="true">{checked ? "☑ " : "☐ "}</span>,
  ...headingsAs(heading),
  ul: ({ children }) => <ul className="list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="list-decimal space-y-1 pl-5">{children}</ol>,
  blockquote: ({ children }) => <blockquote className="border-l-4 border-slate-300 pl-3 text-slate-700 dark:border-slate-600 dark:text-slate-300">{children}</blockquote>,
  pre: ({ children }) => <pre className="overflow-x-auto rounded-md bg-slate-100 p-3 text-xs dark:bg-slate-800 [&>code]:bg-transparent [&>code]:p-0">{children}</pre>,
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-slate-800">{children}</code>,
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="min-w-full border-collapse text-left text-xs">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border border-slate-300 px-2 py-1 font-semibold dark:border-slate-700">{children}</th>,
  td: ({ children }) => <td className="border border-slate-300 px-2 py-1 dark:border-slate-700">{children}</td>,
};

/** A message as safe Markdown: links, code, lists and the like; raw HTML shows as text. */
export function MessageMarkdown({ text, className }: { text: string; className?: string }) {
  return (
    <div data-testid="markdown" className={className ?? "space-y-2 break-words text-sm"}>
      <Markdown {...markdownOptions} components={components}>
        {text}
      </Markdown>
    </div>
  );
}
