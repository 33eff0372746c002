import "server-only";
import type { ReactElement } from "react";
import { render, toPlainText } from "@react-email/render";

/** A ready-to-send email: `name` is the template's id, kept in the outbox for the admin reader. */
export interface EmailTemplate {
  name: string;
  subject: string;
  element: ReactElement;
  /** Set by renderSlotted: the exact output of rendering `element`, computed without React. */
  rendered?: RenderedEmail;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const DOCTYPE = /^<!DOCTYPE[^>]*>/;

/**
 * Renders once at enqueue time, so the outbox holds exactly what was (or will be) sent.
 * One React render: the text part is converted from the same markup that
 * `render(element, { plainText: true })` would render again.
 */
export async function renderEmail(template: EmailTemplate): Promise<RenderedEmail> {
  if (template.rendered) return template.rendered;
  const html = await render(template.element);
  // render() swaps React's doctype for the XHTML one; the text conversion never reads it.
  const text = toPlainText(html.replace(DOCTYPE, "<!DOCTYPE html>"));
  return { subject: template.subject, html, text };
}

// ---------------------------------------------------------------- slotted rendering
//
// A batch job (the rotation of 10,000 keys) sends the same template many
// times with only short text props changing; a React render plus the
// HTML-to-text conversion costs 5-30 ms each. Here the template is rendered
// once per *shape* with placeholders of the same length as the real values
// (the Preview component pads to a length, so lengths must match), then each
// value is substituted: escaped as React escapes text for the HTML part, as
// is for the subject and the text part. Values that the conversion to text
// could treat differently (whitespace runs, zero-width spaces, private-use
// characters the placeholders are made of, control characters) take the
// ordinary React path, so the output is always byte for byte what
// renderEmail would produce (tests/email/render-slotted.test.ts checks it).

const SLOT_SAFE = /^[^\s\u200b\ue000-\uf8ff\u0000-\u001f\u007f]+(?: [^\s\u200b\ue000-\uf8ff\u0000-\u001f\u007f]+)*$/;
const MAX_SHAPES = 512;
const shapes = new Map<string, Promise<RenderedEmail>>();

function escapeHtml(s: string): string {
  return s.replace(/["&'<>]/g, (c) => (c === '"' ? "&quot;" : c === "&" ? "&amp;" : c === "'" ? "&#x27;" : c === "<" ? "&lt;" : "&gt;"));
}

function replaceAll(s: string, from: string, to: string): string {
  return s.split(from).join(to);
}

/**
 * `build(values)` for these values, with `rendered` filled in cheaply when
 * every value is safe to substitute. `shapeKey` must name everything else
 * the output depends on (other props, settings such as the app URL).
 */
export async function renderSlotted<V extends Record<string, string>>(build: (values: V) => EmailTemplate, values: V, shapeKey: string): Promise<EmailTemplate> {
  const template = build(values);
  const names = Object.keys(values) as (keyof V & string)[];
  if (names.length > 16 || !names.every((n) => values[n]!.length <= 256 && SLOT_SAFE.test(values[n]!))) return template;
  const placeholders = Object.fromEntries(names.map((n, i) => [n, String.fromCharCode(0xe000 + i).repeat(values[n]!.length)])) as V;
  const key = `${template.name}\u0000${shapeKey}\u0000${names.map((n) => `${n}:${values[n]!.length}`).join(",")}`;
  let shape = shapes.get(key);
  if (!shape) {
    shape = renderEmail(build(placeholders));
    shapes.set(key, shape);
    shape.catch(() => shapes.delete(key));
    while (shapes.size > MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
  }
  let { subject, html, text } = await shape;
  for (const n of names) {
    subject = replaceAll(subject, placeholders[n]!, values[n]!);
    html = replaceAll(html, placeholders[n]!, escapeHtml(values[n]!));
    text = replaceAll(text, placeholders[n]!, values[n]!);
  }
  return { ...template, rendered: { subject, html, text } };
}
