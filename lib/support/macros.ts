import type { TicketStatus } from "@/db/schema/support";

/**
 * Canned replies, the parts that need no I/O: the shape a macro travels in
 * and how its placeholders are filled. Safe in client components.
 */
export type MacroDto = {
  id: string;
  name: string;
  body: string;
  setStatus: TicketStatus | null;
  addTags: string[];
  createdAt: string;
  updatedAt: string;
};

export type MacroVars = { customerName: string; ticketNumber: string; agentName: string; subject: string };

export const MACRO_PLACEHOLDERS = ["{{customer.name}}", "{{ticket.number}}", "{{agent.name}}", "{{ticket.subject}}"] as const;

const KEYS: Record<string, keyof MacroVars> = {
  "customer.name": "customerName",
  "ticket.number": "ticketNumber",
  "agent.name": "agentName",
  "ticket.subject": "subject",
};

/**
 * The body with each known placeholder replaced (spaces inside the braces
 * allowed); an unknown one stays as written, so a typo shows in the reply
 * box instead of vanishing. Replacement is one pass: a value that itself
 * looks like a placeholder is not expanded again.
 */
export function fillMacro(body: string, vars: MacroVars): string {
  return body.replace(/\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g, (whole, key: string) => {
    const k = KEYS[key];
    return k ? vars[k] : whole;
  });
}
