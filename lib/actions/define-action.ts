import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { z, type ZodType } from "zod";
import type { UserActor } from "@/lib/auth/actor";
import { can, type Permission } from "@/lib/auth/policy";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-ip";
import { isSameOrigin } from "@/lib/http/same-origin";
import { findNul, NUL_MESSAGE } from "@/lib/validation/nul-bytes";
import { actionFailure, zodFailure } from "./errors";
import { pickValues, type ActionResult, type ActionState } from "./result";

/**
 * Who may call an action: anyone, any signed-in account, or the holders of
 * one permission of the policy module (lib/auth/policy.ts).
 */
export type ActionAuth = "public" | "user" | Permission;

type ActorFor<A extends ActionAuth> = A extends "public" ? UserActor | null : UserActor;

export interface ActionContext<A extends ActionAuth, I> {
  actor: ActorFor<A>;
  input: I;
  /** The caller's address as lib/http/client-ip decides it (TRUSTED_PROXIES). */
  ip: string | null;
  headers: Headers;
}

interface ActionOptions<A extends ActionAuth, S extends ZodType> {
  auth: A;
  /** Validates the fields (a form's text fields, or the argument of a direct call). */
  input: S;
  /** Non-secret form fields echoed back on failure, so the form keeps them. */
  values?: readonly string[];
  /** Pages whose data the action changed. */
  revalidate?: readonly string[] | ((input: z.output<S>) => readonly string[]);
  /** The message when an `id` field fails validation: an unknown id is "not found", not a form error. */
  notFound?: string;
}

type Handler<A extends ActionAuth, S extends ZodType, T> = (ctx: ActionContext<A, z.output<S>>) => Promise<T>;

/** What an action was declared with, as the action table test reads it. */
export interface DeclaredAction {
  auth: ActionAuth;
}

/** Every function made by defineAction / defineFormAction: the action table test checks each export of a "use server" module is one. */
const DECLARED = new WeakMap<object, DeclaredAction>();
export const isDeclaredAction = (fn: unknown): boolean => typeof fn === "function" && DECLARED.has(fn);

/** The declaration of an action (undefined for anything not made here), so a test can pin each action's auth. */
export const declaredAction = (fn: unknown): DeclaredAction | undefined => (typeof fn === "function" ? DECLARED.get(fn) : undefined);

/** A form's text fields as an object (the first value of each name); files are not read here. Optional fields say how they read "" (`blankAsAbsent`). */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in out) && !key.startsWith("$ACTION")) out[key] = value;
  }
  return out;
}

async function run<A extends ActionAuth, S extends ZodType, T>(
  opts: ActionOptions<A, S>,
  handler: Handler<A, S, T>,
  raw: unknown,
  values: Record<string, string> | undefined,
): Promise<ActionResult<T>> {
  const h = await headers();
  // Security-critical: the same CSRF rule as withApi. Next checks Origin against Host for actions too; this rule does not depend on it.
  if (!isSameOrigin(h, h.get("x-forwarded-proto") === "https" ? "https:" : "http:")) {
    return { ok: false, formError: "This form was sent from another site and was not accepted.", values };
  }
  const actor = await getCurrentUser();
  if (opts.auth !== "public") {
    if (!actor) redirect("/sign-in");
    if (opts.auth !== "user" && !can(actor, opts.auth)) forbidden();
  }
  // The same rule as withApi, once for every field: a NUL byte (which PostgreSQL cannot store in text) is that field's error.
  const nul = findNul(raw);
  if (nul !== null) {
    const field = nul.split(".")[0]!;
    // An id that cannot exist (the argument itself or an `id` field) is "not found", as when it fails its schema.
    if (opts.notFound && (field === "" || field === "id")) return { ok: false, formError: opts.notFound, values };
    return field === "" ? { ok: false, formError: NUL_MESSAGE, values } : { ok: false, fieldErrors: { [field]: [NUL_MESSAGE] }, values };
  }
  const parsed = await opts.input.safeParseAsync(raw);
  if (!parsed.success) {
    if (opts.notFound && parsed.error.issues.some((i) => i.path[0] === "id")) return { ok: false, formError: opts.notFound, values };
    return zodFailure(parsed.error, values);
  }
  try {
    const data = await handler({ actor: actor as ActorFor<A>, input: parsed.data as z.output<S>, ip: clientIp(h), headers: h });
    const paths = typeof opts.revalidate === "function" ? opts.revalidate(parsed.data as z.output<S>) : (opts.revalidate ?? []);
    for (const p of paths) revalidatePath(p);
    return { ok: true, data };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found" && opts.notFound) return { ok: false, formError: opts.notFound, values };
    return actionFailure(err, values);
  }
}

/**
 * The one wrapper of every server action called with a form (useActionState):
 * origin check, authentication and the policy's permission, zod validation,
 * then one service call, its errors mapped to `{ok: false, fieldErrors |
 * formError}` (never an internal message), and the pages to refresh. Rules
 * of the operation itself (limits, rate limits, ownership) live in the
 * service, which the route handler calls too.
 */
export function defineFormAction<A extends ActionAuth, S extends ZodType, T>(
  opts: ActionOptions<A, S>,
  handler: Handler<A, S, T>,
): (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>> {
  const action = async (_prev: ActionState<T>, form: FormData) =>
    run(opts, handler, form instanceof FormData ? formFields(form) : {}, form instanceof FormData && opts.values ? pickValues(form, opts.values) : undefined);
  DECLARED.set(action, { auth: opts.auth });
  return action;
}

/** The same wrapper for an action called directly from a client component with one argument (an id, an object). */
export function defineAction<A extends ActionAuth, S extends ZodType, T>(
  opts: ActionOptions<A, S>,
  handler: Handler<A, S, T>,
): (input: z.input<S>) => Promise<ActionResult<T>> {
  const action = async (input: z.input<S>) => run(opts, handler, input, undefined);
  DECLARED.set(action, { auth: opts.auth });
  return action;
}
