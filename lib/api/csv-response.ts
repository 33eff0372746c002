import "server-only";

/** A CSV download: streamed, never cached, named after what it holds and the day (UTC). */
export function csvResponse(stream: ReadableStream<Uint8Array>, name: string, now = new Date()): Response {
  const filename = `securewave-${name}-${now.toISOString().slice(0, 10)}.csv`;
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
