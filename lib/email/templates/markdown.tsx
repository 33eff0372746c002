import "server-only";
import Markdown, { type Components } from "react-markdown";
import { headingsAs, LINK_REL, markdownOptions } from "@/lib/support/markdown";
import { styles } from "./layout";

const text = { ...styles.text, margin: "0 0 12px" };
const mono = { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", fontSize: "13px" };
const heading: Components["h1"] = ({ children }) => <p style={{ ...text, fontWeight: 600 }}>{children}</p>;

/** Inline styles (mail clients ignore stylesheets); what may render at all is lib/support/markdown.ts's rule, as on the page. */
const components: Components = {
  p: ({ children }) => <p style={text}>{children}</p>,
  a: ({ href, children }) =>
    href ? (
      <a href={href} rel={LINK_REL} target="_blank" style={styles.link}>
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} rel={LINK_REL} target="_blank" style={styles.link}>
        {alt || src}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  input: ({ checked }) => <span>{checked ? "☑ " : "☐ "}</span>,
  ...headingsAs(heading),
  ul: ({ children }) => <ul style={{ ...text, paddingLeft: "20px" }}>{children}</ul>,
  ol: ({ children }) => <ol style={{ ...text, paddingLeft: "20px" }}>{children}</ol>,
  blockquote: ({ children }) => <blockquote style={{ borderLeft: "3px solid #cbd5e1", margin: "0 0 12px", paddingLeft: "12px", color: "#475569" }}>{children}</blockquote>,
  pre: ({ children }) => <pre style={{ ...mono, backgroundColor: "#f1f5f9", borderRadius: "6px", padding: "12px", whiteSpace: "pre-wrap", margin: "0 0 12px" }}>{children}</pre>,
  code: ({ children }) => <code style={{ ...mono, backgroundColor: "#f1f5f9" }}>{children}</code>,
  table: ({ children }) => <table style={{ ...text, borderCollapse: "collapse" }}>{children}</table>,
  th: ({ children }) => <th style={{ border: "1px solid #cbd5e1", padding: "4px 8px", textAlign: "left" }}>{children}</th>,
  td: ({ children }) => <td style={{ border: "1px solid #cbd5e1", padding: "4px 8px" }}>{children}</td>,
};

/** A ticket message in an email, rendered from its Markdown by the same rules as the conversation. */
export function EmailMarkdown({ text: source }: { text: string }) {
  return (
    <Markdown {...markdownOptions} components={components}>
      {source}
    </Markdown>
  );
}
