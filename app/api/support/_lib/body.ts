import "server-only";
import type { NextRequest } from "next/server";
import type { ZodType, z } from "zod";
import { AppError } from "@/lib/errors";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from "@/lib/support/attachments";
import type { UploadInput } from "@/lib/services/support";

const JSON_LIMIT = 1_000_000;
/** Every file at its maximum plus room for the text fields and multipart framing. */
export const MULTIPART_LIMIT = MAX_ATTACHMENTS_PER_MESSAGE * MAX_ATTACHMENT_BYTES + 1_000_000;
const FILE_FIELDS = new Set(["files", "files[]", "file"]);

const tooLarge = (max: number) => new AppError("payload_too_large", `Body larger than ${max} bytes`);

/** The body as a stream that errors past `max` bytes, whatever Content-Length claimed. */
function limited(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > max) controller.error(tooLarge(max));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * Security-critical: a browser form on another site could post multipart
 * with the session cookie (SameSite=Lax already stops most of it); a cookie
 * request must come from a page of this origin. Token requests are not
 * affected.
 */
function assertSameOrigin(req: NextRequest): void {
  if (req.headers.get("authorization")) return;
  const origin = req.headers.get("origin");
  if (!origin) return;
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    /* "null" or garbage */
  }
  if (!host || originHost !== host) throw new AppError("forbidden", "Cross-origin form posts are not accepted");
}

export interface TicketBody {
  fields: Record<string, unknown>;
  files: UploadInput[];
}

/** JSON, or multipart/form-data with text fields and files (files, files[] or file). */
export async function readTicketBody(req: NextRequest): Promise<TicketBody> {
  const type = req.headers.get("content-type") ?? "";
  const multipart = /^multipart\/form-data/i.test(type);
  const max = multipart ? MULTIPART_LIMIT : JSON_LIMIT;
  if (Number(req.headers.get("content-length") ?? "0") > max) throw tooLarge(max);
  if (!req.body) return { fields: {}, files: [] };
  const body = limited(req.body, max);

  if (!multipart) {
    const text = await new Response(body).text();
    try {
      const raw: unknown = text === "" ? {} : JSON.parse(text);
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error("not an object");
      return { fields: raw as Record<string, unknown>, files: [] };
    } catch {
      throw new AppError("validation_error", "The body is not valid JSON");
    }
  }

  assertSameOrigin(req);
  let form: FormData;
  try {
    form = await new Request(req.url, { method: "POST", headers: { "content-type": type }, body, duplex: "half" } as RequestInit).formData();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { cause?: unknown })?.cause instanceof AppError) throw (err as { cause: AppError }).cause;
    throw new AppError("validation_error", "The multipart body could not be read");
  }
  const fields: Record<string, unknown> = {};
  const files: UploadInput[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      if (!(name in fields)) fields[name] = value;
    } else if (FILE_FIELDS.has(name)) {
      // A file input left empty still sends a part, with no name and no bytes: skip it.
      if (value.size === 0 && !value.name) continue;
      files.push({ filename: value.name || "file", bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}

export async function parseWith<S extends ZodType>(schema: S, raw: unknown): Promise<z.output<S>> {
  const result = await schema.safeParseAsync(raw);
  if (!result.success) {
    throw new AppError(
      "validation_error",
      "The request is not valid",
      result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data as z.output<S>;
}
