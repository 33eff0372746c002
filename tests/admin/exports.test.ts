import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { abuseDetectionLogs, users, wireguardPeers } from "@/db/schema";
import { createPeer } from "@/lib/services/peers";
import { csvCell, csvRow, exportCsv } from "@/lib/dal/exports";
import { listAuditLog } from "@/lib/dal/audit";
import { GET as usersCsv } from "@/app/api/admin/export/users.csv/route";
import { GET as devicesCsv } from "@/app/api/admin/export/devices.csv/route";
import { GET as incidentsCsv } from "@/app/api/admin/export/incidents.csv/route";
import { resetEnv } from "@/lib/env";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

/** RFC 4180, enough to read back what the export wrote (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endField();
    else if (c === "\r" && text[i + 1] === "\n") {
      endField();
      out.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (field || row.length) {
    endField();
    out.push(row);
  }
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(true)).toBe("true");
    expect(csvCell(new Date("2026-01-02T03:04:05.000Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(csvRow(["a", 1, null])).toBe("a,1,\r\n");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+1+2")).toBe("'+1+2");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=1")).toBe(`"'\r=1"`);
    expect(csvCell("a=b")).toBe("a=b");
  });
});

describe("admin CSV exports", () => {
  let ctx: Awaited<ReturnType<typeof fixture>>;
  async function fixture() {
    const server = await makeServer({ name: "Export Frankfurt", ipv4Pool: "10.71.0.0/24" });
    const admin = await makeUser("admin");
    const agent = await makeUser("agent");
    const evil = await makeUser("user", { email: `evil-${Date.now()}@export.test` });
    const plain = await makeUser("user", { email: `plain-${Date.now()}@export.test` });
    const db = await getDb();
    await db.update(users).set({ name: '=HYPERLINK("http://evil.test","click")' }).where(eq(users.id, evil.id));
    await db.update(users).set({ name: "Doe, Jane \"JD\"" }).where(eq(users.id, plain.id));
    const device = await createPeer(evil.actor, { serverId: server.id, deviceName: "@laptop", deviceType: "linux" });
    await db.insert(abuseDetectionLogs).values({
      userId: evil.id,
      incidentType: "account_sharing",
      severity: "high",
      description: "-2+3 addresses, shared",
      metadata: {},
    });
    return { server, admin, agent, evil, plain, device };
  }
  beforeAll(async () => {
    resetEnv({});
    ctx = await fixture();
  });

  it("users.csv: an attachment, a header row, escaped and defused cells, the list's filters", async () => {
    const res = await call(usersCsv as never, { method: "GET", path: "/api/admin/export/users.csv", token: ctx.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="securewave-users-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const table = parseCsv(res.text);
    expect(table[0]).toEqual(["id", "email", "name", "role", "status", "status_reason", "plan", "active_devices", "created_at", "last_login_at"]);
    const evil = table.find((r) => r[0] === ctx.evil.id)!;
    expect(evil[2]).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(evil[7]).toBe("1");
    expect(table.find((r) => r[0] === ctx.plain.id)![2]).toBe('Doe, Jane "JD"');
    expect(res.text).not.toMatch(/scrypt|password|\$2[aby]\$/i);

    const filtered = await call(usersCsv as never, { method: "GET", path: `/api/admin/export/users.csv?q=${encodeURIComponent("plain-")}&role=user`, token: ctx.admin.token });
    expect(parseCsv(filtered.text).slice(1).map((r) => r[0])).toEqual([ctx.plain.id]);
    expect((await call(usersCsv as never, { method: "GET", path: "/api/admin/export/users.csv?role=king", token: ctx.admin.token })).status).toBe(400);
  });

  it("devices.csv: every device with owner, addresses and public key, never a private key", async () => {
    const res = await call(devicesCsv as never, { method: "GET", path: `/api/admin/export/devices.csv?serverId=${ctx.server.id}`, token: ctx.admin.token });
    expect(res.status).toBe(200);
    const table = parseCsv(res.text);
    expect(table[0]!.slice(0, 8)).toEqual(["id", "owner_email", "device_name", "device_type", "server", "ipv4", "ipv6", "public_key"]);
    expect(table.slice(1)).toHaveLength(1);
    const row = table[1]!;
    // A key is base64: one in 64 starts with "+", and is defused like any other cell.
    const keyCell = ctx.device.publicKey.startsWith("+") ? `'${ctx.device.publicKey}` : ctx.device.publicKey;
    expect(row.slice(0, 8)).toEqual([ctx.device.id, ctx.evil.email, "'@laptop", "linux", "Export Frankfurt", ctx.device.ipv4, ctx.device.ipv6, keyCell]);
    const [sealed] = await rows<{ private_key_sealed: string; preshared_key_sealed: string }>(
      await getDb(),
      sql`select private_key_sealed, preshared_key_sealed from ${wireguardPeers} where id = ${ctx.device.id}`,
    );
    expect(res.text).not.toContain(sealed!.private_key_sealed);
    expect(res.text).not.toContain(sealed!.preshared_key_sealed);
  });

  it("incidents.csv: the queue's filters, formula cells defused", async () => {
    const res = await call(incidentsCsv as never, { method: "GET", path: "/api/admin/export/incidents.csv?type=account_sharing", token: ctx.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("securewave-incidents-");
    const table = parseCsv(res.text);
    expect(table[0]![0]).toBe("id");
    const mine = table.filter((r) => r[1] === ctx.evil.email);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.slice(2, 5)).toEqual(["account_sharing", "high", "pending"]);
    expect(mine[0]![8]).toBe("'-2+3 addresses, shared");
    const none = await call(incidentsCsv as never, { method: "GET", path: "/api/admin/export/incidents.csv?type=rapid_reconnects", token: ctx.admin.token });
    expect(parseCsv(none.text)).toHaveLength(1);
  });

  it("streams in keyset batches: every row once, whatever the batch size", async () => {
    const db = await getDb();
    await db.execute(sql`insert into users (email, name) select 'bulk-' || i || '@export.test', 'Bulk ' || i from generate_series(1, 23) i`);
    const whole = parseCsv(await readAll(await exportCsv(ctx.admin.actor, "users", {})));
    const small = parseCsv(await readAll(await exportCsv(ctx.admin.actor, "users", {}, { batchSize: 4 })));
    expect(small).toEqual(whole);
    const ids = small.slice(1).map((r) => r[0]);
    expect(new Set(ids).size).toBe(ids.length);
    const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from users`);
    expect(ids).toHaveLength(Number(n));
  });

  it("is for admins only, and each export is recorded in the audit log", async () => {
    for (const [handler, path] of [
      [usersCsv, "/api/admin/export/users.csv"],
      [devicesCsv, "/api/admin/export/devices.csv"],
      [incidentsCsv, "/api/admin/export/incidents.csv"],
    ] as const) {
      expect((await call(handler as never, { method: "GET", path })).status).toBe(401);
      expect((await call(handler as never, { method: "GET", path, token: ctx.evil.token })).status).toBe(403);
      expect((await call(handler as never, { method: "GET", path, token: ctx.agent.token })).status).toBe(403);
    }
    const log = await listAuditLog(ctx.admin.actor, { action: "export.", actor: ctx.admin.email });
    expect(log.items.map((e) => e.action)).toEqual(expect.arrayContaining(["export.users", "export.devices", "export.incidents"]));
    expect(log.items.find((e) => e.action === "export.devices")!.metadata).toEqual({ filters: { serverId: ctx.server.id } });
  });
});
