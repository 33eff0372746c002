/**
 * Ticket tags, the rules that need no I/O (safe in client components): a tag
 * is trimmed and lowercased, 1–32 characters of a–z, 0–9, "-", "_" and
 * space; a ticket has at most MAX_TAGS, each once.
 */
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const TAG_PATTERN = /^[a-z0-9_ -]{1,32}$/;

/** What every door stores: trimmed, lowercase, inner runs of spaces made one. */
export const normalizeTag = (raw: string) => raw.trim().toLowerCase().replace(/ {2,}/g, " ");

export const isValidTag = (tag: string) => TAG_PATTERN.test(tag);

/** Each tag once, in first-seen order. */
export const uniqueTags = (tags: readonly string[]) => [...new Set(tags)];

/** The tags after adding some (existing order kept, new ones appended). */
export const mergeTags = (current: readonly string[], add: readonly string[]) => uniqueTags([...current, ...add]);

/** Same tags, whatever the order. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

/** "vpn, billing ,, Refund" → ["vpn", "billing", "refund"]: how a form field of comma-separated tags reads. */
export const splitTags = (text: string) => text.split(",").map(normalizeTag).filter(Boolean);
