/**
 * Who else is on a ticket: the timings shared by the page (heartbeats) and
 * the server (what counts as present). Pure, safe in client components.
 */

/** A page open on a ticket says so this often while it is visible. */
export const PRESENCE_HEARTBEAT_MS = 10_000;
/** Seen within this long: still on the ticket (three heartbeats, so one lost request does not flicker). */
export const PRESENCE_FRESH_MS = 30_000;
/** The composer has text and had a keystroke within this long: replying. */
export const TYPING_IDLE_MS = 10_000;
/** A "replying" flag older than this is stale (its tab went away without saying so). */
export const REPLYING_FRESH_MS = 15_000;
/** Rows older than this are deleted by the next presence write. */
export const PRESENCE_PRUNE_MS = 10 * 60_000;

export interface PresenceDto {
  userId: string;
  name: string;
  role: "agent" | "admin";
  replying: boolean;
  seenAt: string;
}

/** "Dana (agent) is replying…", "Dana (agent) and Sam (admin) are viewing this ticket". */
export function describePresence(people: PresenceDto[]): string | null {
  if (people.length === 0) return null;
  const label = (p: PresenceDto) => `${p.name} (${p.role})`;
  const list = (ps: PresenceDto[]) => (ps.length === 1 ? label(ps[0]!) : `${ps.slice(0, -1).map(label).join(", ")} and ${label(ps.at(-1)!)}`);
  const replying = people.filter((p) => p.replying);
  const viewing = people.filter((p) => !p.replying);
  const parts: string[] = [];
  if (replying.length) parts.push(`${list(replying)} ${replying.length === 1 ? "is" : "are"} replying…`);
  if (viewing.length) parts.push(`${list(viewing)} ${viewing.length === 1 ? "is" : "are"} viewing this ticket.`);
  return parts.join(" ");
}
