import type { ReactElement } from "react";
import { render } from "@react-email/render";

/** A ready-to-send email: `name` is the template's id, kept in the outbox for the admin reader. */
export interface EmailTemplate {
  name: string;
  subject: string;
  element: ReactElement;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Renders once at enqueue time, so the outbox holds exactly what was (or will be) sent. */
export async function renderEmail(template: EmailTemplate): Promise<RenderedEmail> {
  const [html, text] = await Promise.all([render(template.element), render(template.element, { plainText: true })]);
  return { subject: template.subject, html, text };
}
