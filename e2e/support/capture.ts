import path from "node:path";
import { z } from "zod";

/**
 * What the browser suite's server saw, kept for the secrets scan
 * (e2e/secrets.teardown.ts): every log line the app wrote and every answer it
 * gave, with who asked for it. Written by e2e/support/server.ts under the
 * test output folder, which Playwright empties before the server starts.
 */
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const E2E_DATA_DIR = path.join(ROOT, ".e2e-data");
const DIR = path.join(ROOT, "test-results", "e2e-capture");

export const CAPTURE = {
  dir: DIR,
  /** The app's stdout and stderr, line by line. */
  log: path.join(DIR, "server.log"),
  /** One JSON line per request and its answer (ExchangeSchema). */
  exchanges: path.join(DIR, "exchanges.jsonl"),
  /** The pid of the app server (scripts/server.mjs): the scan stops it so that the embedded database can be opened. */
  pid: path.join(DIR, "next.pid"),
  /** Written once the app server has exited and both files above are complete. */
  stopped: path.join(DIR, "next.stopped"),
};

/** The request header naming the test that made a request (set by the shared fixture, removed before the app sees it). */
export const TEST_HEADER = "x-e2e-test";
/** Auth.js's session cookie over plain HTTP. */
export const SESSION_COOKIE = "authjs.session-token";

export const ExchangeSchema = z.object({
  /** The order the requests arrived in. */
  seq: z.number(),
  at: z.string(),
  test: z.string().nullable(),
  method: z.string(),
  /** Path and query. */
  url: z.string(),
  status: z.number(),
  contentType: z.string(),
  /** The session cookie the request carried, to tell who was signed in. */
  session: z.string().nullable(),
  /** SHA-256 (hex) of the request's bearer token, if any: the form the database keeps. */
  bearerHash: z.string().nullable(),
  /** The start of the request body, as text: what it was about (a server action's arguments, a form). */
  requestBody: z.string(),
  /** The answer's headers other than Set-Cookie, one `name: value` a line. */
  headers: z.string(),
  /** The answer's body as text; null where it is binary (images, fonts) or a build asset. */
  body: z.string().nullable(),
  bytes: z.number(),
  truncated: z.boolean(),
});
export type Exchange = z.infer<typeof ExchangeSchema>;
