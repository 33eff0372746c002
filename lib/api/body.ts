import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { isJsonContentType } from "@/lib/http/same-origin";
import type { UploadInput } from "@/lib/services/support";
import { findNul, NUL_MESSAGE } from "@/lib/validation/nul-bytes";

/** A file of a multipart body: what the support services take as an upload. */
export type UploadedFile = UploadInput;

/**
 * How a route reads its body: "json" (the default), "text" (a `wg show dump`),
 * or "form": JSON or multipart/form-data with text fields and files (files,
 * files[] or file).
 */
export type BodyType = "json" | "text" | "form";

const JSON_LIMIT = 1_000_000;
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

async function readText(req: NextRequest, max: number): Promise<string> {
  if (!req.body) return "";
  try {
    return await new Response(limited(req.body, max)).text();
  } catch (err) {
    throw unwrap(err, "The body could not be read");
  }
}

function unwrap(err: unknown, fallback: string): AppError {
  if (err instanceof AppError) return err;
  if ((err as { cause?: unknown })?.cause instanceof AppError) return (err as { cause: AppError }).cause;
  return new AppError("validation_error", fallback);
}

/**
 * Refuses a NUL byte anywhere in what a request sent (a body's fields, a
 * query string): once, here, for every route, naming the field. PostgreSQL
 * cannot store one in text, and no field has a use for it.
 */
export function refuseNul(value: unknown, where: string): void {
  const path = findNul(value);
  if (path !== null) throw new AppError("validation_error", "The request is not valid", [{ path: path || where, message: NUL_MESSAGE }]);
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("validation_error", "The body is not valid JSON");
  }
}

/**
 * Reads a request body once, capped at `max` bytes (413 before reading when
 * Content-Length says more). `strictJson`: a JSON body must say it is one
 * (415 otherwise) — required of cookie requests, so that a cross-site form
 * post (text/plain, urlencoded) can never pass for JSON.
 */
export async function readBody(
  req: NextRequest,
  type: BodyType,
  max: number,
  strictJson: boolean,
): Promise<{ raw: unknown; files: UploadedFile[] }> {
  const contentType = req.headers.get("content-type");
  const multipart = type === "form" && contentType !== null && /^multipart\/form-data/i.test(contentType);
  // Files may be large; the JSON of a form never is.
  if (type === "form" && !multipart) max = Math.min(max, JSON_LIMIT);
  if (Number(req.headers.get("content-length") ?? "0") > max) throw tooLarge(max);
  if (type === "text") return { raw: await readText(req, max), files: [] };
  if (multipart) {
    const read = await readMultipart(req, contentType!, max);
    refuseNul(read.raw, "body");
    return read;
  }
  const text = await readText(req, max);
  if (strictJson && !isJsonContentType(contentType) && (text !== "" || contentType !== null)) {
    throw new AppError("unsupported_media_type", type === "form" ? "Send JSON (application/json) or multipart/form-data" : "Send JSON with Content-Type: application/json");
  }
  const raw = parseJson(text);
  refuseNul(raw, "body");
  if (type === "form" && (typeof raw !== "object" || raw === null || Array.isArray(raw))) throw new AppError("validation_error", "The body must be a JSON object");
  return { raw, files: [] };
}

async function readMultipart(req: NextRequest, contentType: string, max: number): Promise<{ raw: unknown; files: UploadedFile[] }> {
  if (!req.body) return { raw: {}, files: [] };
  let form: FormData;
  try {
    form = await new Request(req.url, { method: "POST", headers: { "content-type": contentType }, body: limited(req.body, max), duplex: "half" } as RequestInit).formData();
  } catch (err) {
    throw unwrap(err, "The multipart body could not be read");
  }
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") {
      if (!(name in fields)) fields[name] = value;
    } else if (FILE_FIELDS.has(name)) {
      // A file input left empty still sends a part, with no name and no bytes: skip it.
      if (value.size === 0 && !value.name) continue;
      files.push({ filename: value.name || "file", bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  return { raw: fields, files };
}
