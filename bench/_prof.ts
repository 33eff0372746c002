import { randomBytes } from "node:crypto";
import { resetEnv } from "@/lib/env";
resetEnv({ LOG_LEVEL: "warn", AUTH_SECRET: randomBytes(33).toString("base64"), ENCRYPTION_KEY: randomBytes(32).toString("base64"), DATABASE_URL: "memory://" });
const { openDatabase, setDbHandle, closeDb } = await import("@/db/client");
const { default: postgres } = await import("postgres");
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
const name = "sw_prof_create";
await admin.unsafe(`drop database if exists ${name} with (force)`);
await admin.unsafe(`create database ${name}`);
setDbHandle(await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}`, poolSize: 20 }));
const { benchServer, bulkUsers } = await import("./fixtures");
const { pool, timeIt } = await import("./harness");
const { createPeer } = await import("@/lib/services/peers");
const server = await benchServer("10.201.0.0/16");
const conc = Number(process.argv[2] ?? 16);
const warm = await bulkUsers(300);
await pool(warm, conc, (u) => createPeer(u, { serverId: server.id, deviceName: "bench", deviceType: "linux" }));
const fs = await import("node:fs");
const pgCpu = () => { let t = 0; for (const d of fs.readdirSync("/proc")) { if (!/^\d+$/.test(d)) continue; try { const st = fs.readFileSync(`/proc/${d}/stat`, "utf8"); if (!st.includes("(postgres)")) continue; const cmd = fs.readFileSync(`/proc/${d}/cmdline`, "utf8"); if (!cmd.includes(name) && !process.env.ALLPG) continue; const f = st.slice(st.lastIndexOf(")") + 2).split(" "); t += Number(f[11]) + Number(f[12]); } catch {} } return t * 10; };
for (let r = 0; r < Number(process.env.ROUNDS ?? 3); r++) {
  const users = await bulkUsers(1000);
  const c0 = process.cpuUsage(); const p0 = pgCpu();
  const ms = await timeIt(() => pool(users, conc, (u) => createPeer(u, { serverId: server.id, deviceName: "bench", deviceType: "linux" })));
  const c1 = process.cpuUsage(c0); const p1 = pgCpu();
  console.log(`node cpu/create ${((c1.user + c1.system) / 1000 / 1000).toFixed(2)} ms, pg cpu/create ${((p1 - p0) / 1000).toFixed(2)} ms (approx, incl. exited backends not counted)`);
  console.log(`${process.env.SW_ASYNC_COMMIT ? "async" : "sync "} conc=${conc}: ${(1000 / (ms / 1000)).toFixed(0)}/s`);
}
await closeDb(); if (!process.env.KEEP) await admin.unsafe(`drop database if exists ${name} with (force)`); await admin.end();
