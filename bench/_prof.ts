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
for (let r = 0; r < 3; r++) {
  const users = await bulkUsers(1000);
  const ms = await timeIt(() => pool(users, conc, (u) => createPeer(u, { serverId: server.id, deviceName: "bench", deviceType: "linux" })));
  console.log(`${process.env.SW_ASYNC_COMMIT ? "async" : "sync "} conc=${conc}: ${(1000 / (ms / 1000)).toFixed(0)}/s`);
}
await closeDb(); await admin.unsafe(`drop database if exists ${name} with (force)`); await admin.end();
