import { randomUUID } from "node:crypto";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/client-ip";
import { describeError, log } from "@/lib/log";
import { previewShareLink, redeemShareLink } from "@/lib/services/share-links";
import { TIME_ZONE_COOKIE, validTimeZone } from "@/lib/format/time-zone";
import { configPage, problemPage, revealPage } from "./share-html";

/**
 * `/share/<token>`, no sign-in: GET shows only a "Reveal configuration"
 * button and never uses the link (link scanners and previews fetch with GET);
 * the form's POST uses it and answers the QR code and the config. A used or
 * expired link answers 410 to both. The page holds a secret: never cached,
 * indexed, framed, or leaked through a Referer.
 */
const HEADERS: Record<string, string> = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store, max-age=0",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow, noarchive",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const TITLES: Partial<Record<AppError["code"], string>> = {
  gone: "This link no longer works",
  not_found: "Link not found",
  conflict: "This configuration cannot be shared",
};

type Ctx = { params: Promise<{ token: string }> };

const html = (body: string, status = 200) => new Response(body, { status, headers: HEADERS });

async function answer(work: () => Promise<string>): Promise<Response> {
  try {
    return html(await work());
  } catch (err) {
    if (err instanceof AppError && TITLES[err.code]) return html(problemPage(TITLES[err.code]!, err.message), err.status);
    const requestId = randomUUID();
    log.error("share.unhandled_error", { requestId, ...describeError(err) });
    return html(problemPage("Something went wrong", `Please try again in a moment (reference ${requestId}).`), 500);
  }
}

export async function GET(req: NextRequest, ctx: Ctx) {
  const { token } = await ctx.params;
  return answer(async () => {
    const link = await previewShareLink(token, { ip: clientIp(req.headers) });
    // The expiry in the reader's local time when this browser has told the app its zone (the cookie), else in UTC, saying which.
    return revealPage({ ...link, now: new Date(), timeZone: validTimeZone(req.cookies.get(TIME_ZONE_COOKIE)?.value) });
  });
}

export async function POST(req: NextRequest, ctx: Ctx) {
  const { token } = await ctx.params;
  return answer(async () => {
    const config = await redeemShareLink(token, { ip: clientIp(req.headers) });
    return configPage(config);
  });
}
