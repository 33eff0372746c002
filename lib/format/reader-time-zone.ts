import "server-only";
import { cookies } from "next/headers";
import { TIME_ZONE_COOKIE, validTimeZone } from "./time-zone";

/**
 * The reader's time zone as their browser last reported it (the cookie
 * components/ui/time-zone.tsx keeps), else UTC: for text drawn on the server
 * that never hydrates, such as the charts. Outside a request (a script, a
 * test) it is UTC.
 */
export async function readerTimeZone(): Promise<string> {
  try {
    return validTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  } catch {
    return "UTC";
  }
}
