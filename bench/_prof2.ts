import postgres from "postgres";
const sql = postgres("postgres://postgres@127.0.0.1:5432/sw_prof_cfg", { max: 4, onnotice: () => {} });
const S = "2bb0bb80-72c0-4608-b363-9a89a6a5c9be";
const elig = `p.status = 'active' and u.status = 'active' and (p.expires_at is null or p.expires_at > now()) and (u.quota_blocked_until is null or u.quota_blocked_until <= now())`;
const q = {
  orig: `select p.public_key as "publicKey", p.preshared_key_sealed as psk, p.ipv4, p.ipv6, p.host_index as h from wireguard_peers p join users u on u.id = p.user_id where p.server_id = $1 and ${elig}
     union all select k.public_key, k.preshared_key_sealed, k.ipv4, k.ipv6, k.host_index from peer_previous_keys k join wireguard_peers p on p.id = k.peer_id join users u on u.id = p.user_id where k.server_id = $1 and k.retired_at is null and ${elig} order by h`,
  nosort: `select p.public_key, p.preshared_key_sealed, p.ipv4, p.ipv6, p.host_index as h from wireguard_peers p join users u on u.id = p.user_id where p.server_id = $1 and ${elig}`,
  agg: `select string_agg(x.public_key || E'\\t' || x.psk || E'\\t' || x.ipv4 || E'\\t' || x.ipv6, E'\\n' order by x.h) as t from (
     select p.public_key, p.preshared_key_sealed as psk, p.ipv4, p.ipv6, p.host_index as h from wireguard_peers p join users u on u.id = p.user_id where p.server_id = $1 and ${elig}
     union all select k.public_key, k.preshared_key_sealed, k.ipv4, k.ipv6, k.host_index from peer_previous_keys k join wireguard_peers p on p.id = k.peer_id join users u on u.id = p.user_id where k.server_id = $1 and k.retired_at is null and ${elig}) x`,
  aggnosort: `select string_agg(p.public_key || E'\\t' || p.preshared_key_sealed || E'\\t' || p.ipv4 || E'\\t' || p.ipv6 || E'\\t' || p.host_index, E'\\n') as t from wireguard_peers p join users u on u.id = p.user_id where p.server_id = $1 and ${elig}`,
  count: `select count(*) from wireguard_peers p join users u on u.id = p.user_id where p.server_id = $1 and ${elig}`,
};
for (let r = 0; r < 5; r++) {
  const out: string[] = [];
  for (const [k, text] of Object.entries(q)) {
    const t = performance.now();
    const res = await sql.unsafe(text, [S]);
    if (k.startsWith("agg")) { const lines = (res[0].t as string).split("\n"); for (const l of lines) l.split("\t"); }
    out.push(`${k}=${(performance.now() - t).toFixed(1)}`);
  }
  console.log(out.join(" "));
}
await sql.end();
