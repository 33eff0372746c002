import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/api/handler";
import { signInLockout } from "@/lib/services/sign-in";
import { clientIp } from "@/lib/http/client-ip";
import { randomUUID } from "node:crypto";

export const GET = handlers.GET;

/** Credential posts from a locked-out account or address answer 429 with Retry-After before Auth.js runs. */
export async function POST(req: NextRequest) {
  if (req.nextUrl.pathname.endsWith("/callback/credentials")) {
    const form = await req.clone().formData().catch(() => null);
    const email = String(form?.get("email") ?? "").trim().toLowerCase();
    if (email) {
      const retryAfter = await signInLockout(email, clientIp(req.headers));
      if (retryAfter) {
        return errorResponse(
          new AppError("rate_limited", "Too many failed sign-in attempts; try again later", undefined, retryAfter),
          randomUUID(),
        );
      }
    }
  }
  return handlers.POST(req);
}
