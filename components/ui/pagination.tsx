import Link from "next/link";
import { buttonClasses } from "./button";

/**
 * Keyset pagination: "First page" drops the cursor, "Next" carries the last
 * row's cursor. The other search parameters (filters) are kept.
 */
export function Pagination({
  basePath,
  params,
  nextCursor,
  hasCursor,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  nextCursor: string | null;
  hasCursor: boolean;
}) {
  const href = (cursor?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v && k !== "cursor") q.set(k, v);
    if (cursor) q.set("cursor", cursor);
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  if (!nextCursor && !hasCursor) return null;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 sm:px-6">
      {hasCursor ? (
        <Link href={href()} className={buttonClasses("secondary", "sm")}>
          First page
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link href={href(nextCursor)} className={buttonClasses("secondary", "sm")} rel="next">
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
