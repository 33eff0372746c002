import { describe, expect, it } from "vitest";
import { render } from "@react-email/render";
import { renderEmail, type EmailTemplate } from "@/lib/email/render";
import { keyRotatedEmail, keyRotatedEmailFast, rotationReminderEmail } from "@/lib/email/templates/rotation";
import { welcomeEmail } from "@/lib/email/templates/welcome";
import { ticketCreatedEmail } from "@/lib/email/templates/ticket-created";
import { ticketReplyEmail } from "@/lib/email/templates/ticket-reply";

/** What renderEmail produced before it rendered only once: two React renders. */
async function twoRenders(t: EmailTemplate) {
  const [html, text] = await Promise.all([render(t.element), render(t.element, { plainText: true })]);
  return { subject: t.subject, html, text };
}

const NAMES = [
  "phone",
  "Alice's iPhone",
  `<b>x</b> & "y" 'z'`,
  "a&amp;b",
  "ünïcödé 📱 laptop",
  "x",
  "0123456789".repeat(6) + "abcd",
  "two  spaces",
  " leading",
  "zero\u200bwidth",
  "nbsp\u00a0inside",
  "private\ue000use",
  "tab\tinside",
];

describe("email rendering", () => {
  it("renders the text part from the one HTML render, as two renders did", async () => {
    const ticket = { number: "TKT-202611-00001", subject: "Can't connect <again> & again", requesterName: "Zoë", ticketId: "t1" };
    const templates = [
      welcomeEmail({ name: "Zoë & \"co\"" }),
      keyRotatedEmail({ deviceName: "Bob's <laptop>", graceUntil: new Date("2026-12-01T00:00:00Z") }),
      rotationReminderEmail({ deviceName: "router" }),
      ticketCreatedEmail({ ...ticket, responseDueAt: new Date("2026-12-01T10:00:00Z") } as never),
      ticketReplyEmail({ ...ticket, reply: "Line one\n\nLine   two <b>bold</b>", from: "Support" } as never),
    ];
    for (const t of templates) expect(await renderEmail(t)).toEqual(await twoRenders(t));
  });

  it("substitutes device names into a once-rendered rotation email, byte for byte", async () => {
    const graceUntil = new Date("2026-12-08T03:00:00Z");
    for (const deviceName of NAMES) {
      const fast = await keyRotatedEmailFast({ deviceName, graceUntil });
      const slow = keyRotatedEmail({ deviceName, graceUntil });
      expect(fast.name).toBe(slow.name);
      expect(await renderEmail(fast)).toEqual(await twoRenders(slow));
    }
  });

  it("renders one shape per name length, not one per email", async () => {
    const graceUntil = new Date("2027-01-05T03:00:00Z");
    const fast = await Promise.all(["aaaa", "bbbb", "cccc"].map((deviceName) => keyRotatedEmailFast({ deviceName, graceUntil })));
    expect(fast.every((t) => t.rendered)).toBe(true);
    expect(fast[1]!.rendered!.html).toContain("<strong>bbbb</strong>");
  });
});
