#!/bin/sh
# SecureWave server agent: keeps a WireGuard interface in step with the
# control plane and reports its statistics.
#
# Each cycle pulls the server's desired config (a conditional request: 304
# when nothing changed), applies it with `wg syncconf` so established
# tunnels stay up, then pushes `wg show <iface> dump` with the interface's
# private key blanked. Needs only sh, wg, curl (and awk, for the blanking);
# `ip` (iproute2 or busybox) to set the interface MTU the config names in a
# `# securewave: mtu=N` comment line, which wg itself skips; `ping` (iputils
# or busybox) to measure each connected device's round trip over the tunnel,
# sent after the dump as `# securewave: rtt <key> <ms>` lines; `tc` (iproute2)
# and the ifb device to enforce the throttles the config names in
# `# securewave: throttle <ipv4>/32 <ipv6>/128 <kbit/s> <until>` lines (without
# tc they are logged once and not enforced).
#
# Environment:
#   SECUREWAVE_URL    base URL of the control plane, e.g. https://vpn.example.com (required)
#   SECUREWAVE_TOKEN  this server's agent token, swa_… (required)
#   WG_INTERFACE      interface name (default wg0)
#   INTERVAL          seconds between cycles (default 60)
#   STATE_DIR         where the last applied config and its ETag are kept, mode 600
#                     (default /var/lib/securewave-agent)
#   LATENCY_MAX       devices pinged per cycle, those with a handshake in the last
#                     3 minutes (default 256; 0 turns measuring off)
# Usage: securewave-agent.sh [--once]
# Exit codes: 0 done (--once), 2 bad token, 3 bad URL or unreachable (--once), 4 wg failed.
set -u

IFACE=${WG_INTERFACE:-wg0}
INTERVAL=${INTERVAL:-60}
STATE_DIR=${STATE_DIR:-/var/lib/securewave-agent}
ONCE=0

for arg in "$@"; do
  case "$arg" in
    --once) ONCE=1 ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "securewave-agent: unknown argument: $arg (try --help)" >&2; exit 64 ;;
  esac
done

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) securewave-agent[$IFACE] $*"; }
die() { log "error: $2" >&2; exit "$1"; }

[ -n "${SECUREWAVE_URL:-}" ] || die 3 "SECUREWAVE_URL is not set"
[ -n "${SECUREWAVE_TOKEN:-}" ] || die 2 "SECUREWAVE_TOKEN is not set"
case "$SECUREWAVE_URL" in
  http://*|https://*) ;;
  *) die 3 "SECUREWAVE_URL must start with http:// or https:// (got: $SECUREWAVE_URL)" ;;
esac
case "$INTERVAL" in
  ''|*[!0-9]*) die 64 "INTERVAL must be a number of seconds" ;;
esac
LATENCY_MAX=${LATENCY_MAX:-256}
case "$LATENCY_MAX" in
  ''|*[!0-9]*) die 64 "LATENCY_MAX must be a number of devices" ;;
esac
BASE=${SECUREWAVE_URL%/}
command -v wg >/dev/null 2>&1 || die 4 "wg is not installed (wireguard-tools)"
command -v curl >/dev/null 2>&1 || die 4 "curl is not installed"
mkdir -p "$STATE_DIR" 2>/dev/null || die 4 "cannot create STATE_DIR $STATE_DIR"
umask 077
ETAG_FILE="$STATE_DIR/$IFACE.etag"
TMP=$(mktemp -d) || die 4 "cannot create a temporary directory"
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
APPLIED="$STATE_DIR/$IFACE.conf"

# Fatal answers stop the agent whatever the mode; others are retried next cycle (or fail --once).
check_http() { # $1 what, $2 curl exit code, $3 http code
  if [ "$2" -ne 0 ]; then
    case "$2" in
      3) die 3 "$1: malformed SECUREWAVE_URL ($BASE)" ;;
      6|7|28|35|52|56) msg="$1: cannot reach $BASE (curl exit $2)" ;;
      *) msg="$1: request failed (curl exit $2)" ;;
    esac
    [ "$ONCE" -eq 1 ] && die 3 "$msg"
    log "$msg"; return 1
  fi
  case "$3" in
    401|403) die 2 "$1: the control plane refused the agent token (HTTP $3); check SECUREWAVE_TOKEN" ;;
    404) die 3 "$1: $BASE does not look like a SecureWave control plane (HTTP 404); check SECUREWAVE_URL" ;;
  esac
  return 0
}

# The interface MTU the control plane asks for. A comment for `wg`, so an
# older agent simply ignores it; a failure to set it is logged, not fatal: the
# tunnel still works, only with the interface's previous MTU.
apply_mtu() { # $1 applied config file
  want=$(sed -n 's/^#[[:space:]]*securewave:[[:space:]]*mtu=\([0-9][0-9]*\)[[:space:]]*$/\1/p' "$1" | tail -n 1)
  [ -n "$want" ] || return 0
  have=$(ip link show dev "$IFACE" 2>/dev/null | sed -n 's/.* mtu \([0-9][0-9]*\).*/\1/p' | head -n 1)
  [ "$have" = "$want" ] && return 0
  # Quiet when it works: each cycle logs one summary line.
  ip link set dev "$IFACE" mtu "$want" 2>"$TMP/err" || log "ip link set dev $IFACE mtu $want failed: $(cat "$TMP/err")" >&2
  return 0
}

# One ping to each device whose handshake is recent (a silent one would only
# cost the timeout), to its first tunnel address, 32 at a time, each bounded by
# -W 1 so a cycle never waits more than a few seconds. Best effort: a device
# that does not answer stays unmeasured, and without ping nothing is measured.
measure_rtts() { # $1 dump, appends directive lines to $1
  [ "$LATENCY_MAX" -gt 0 ] || return 0
  command -v ping >/dev/null 2>&1 || return 0
  awk -v now="$(date +%s)" -v max="$LATENCY_MAX" 'BEGIN { FS = "\t" }
    NR > 1 && $5 + 0 > 0 && now - $5 <= 180 && n < max {
      split($4, ips, ","); pick = ""
      for (i in ips) if (ips[i] ~ /\/32$/) pick = ips[i]
      if (pick == "") for (i in ips) if (ips[i] ~ /\/128$/) pick = ips[i]
      if (pick != "") { sub(/\/[0-9]+$/, "", pick); print $1, pick; n++ }
    }' "$1" > "$TMP/targets"
  i=0
  while read -r key addr; do
    i=$((i + 1))
    # iputils prints "rtt min/avg/max/mdev = a/b/c/d ms", busybox "round-trip min/avg/max = a/b/c ms".
    ping -c 1 -W 1 -q "$addr" 2>/dev/null </dev/null \
      | sed -n "s|^.*min/avg/max[^=]*= *[0-9.]*/\([0-9.]*\)/.*$|# securewave: rtt $key \1|p" > "$TMP/rtt.$i" &
    [ $((i % 32)) -eq 0 ] && wait
  done < "$TMP/targets"
  wait
  [ "$i" -gt 0 ] && cat "$TMP"/rtt.* >> "$1" && rm -f "$TMP"/rtt.*
  return 0
}

# Throttles: each `# securewave: throttle <ipv4>/32 <ipv6>/128 <kbit/s> <until,
# epoch seconds>` line limits one device's tunnel addresses, both directions,
# with tc (rates in kbit/s: 1000 bits per second):
#   downloads (server to device): an HTB root qdisc on the interface (handle
#     5357:), a class per device at its rate and u32 filters on the destination
#     address; anything unclassified passes unshaped (HTB `default 0`);
#   uploads (device to server): u32 filters on the interface's ingress (at
#     priorities 21335 for IPv4 and 21336 for IPv6) redirect the device's
#     packets to an ifb device, swtc<checksum of the interface name>, shaped the
#     same way by source address.
# The agent touches only what it owns: that root qdisc (a root qdisc of anyone
# else's is left alone, and downloads are then not limited), its two ingress
# filter priorities, the ingress qdisc if it added it, and its ifb device. Each
# cycle it derives the throttles in force from the applied config (a line whose
# `until` has passed no longer counts, so a throttle ends on time even while
# the control plane cannot be reached), rebuilds its tree only when that set
# changed or vanished from the interface, and removes all it added once the set
# is empty. WireGuard's peers are never touched: every tunnel stays up.
TC_HANDLE=5357
TC_PRIO4=21335
TC_PRIO6=21336
TC_IFB="swtc$(printf %s "$IFACE" | cksum | cut -d ' ' -f 1)"
THROTTLES="$STATE_DIR/$IFACE.throttles"
TC_INGRESS_OURS="$STATE_DIR/$IFACE.tc-ingress"
NO_TC="$STATE_DIR/$IFACE.no-tc"

# The throttles in force: "<ipv4>/32 <ipv6>/128 <kbit/s>" per line, sorted; malformed or ended lines are skipped.
wanted_throttles() { # $1 applied config
  awk -v now="$(date +%s)" '$1 == "#" && $2 == "securewave:" && $3 == "throttle" && NF >= 7 &&
      $4 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+\/32$/ && $5 ~ /^[0-9A-Fa-f:]+\/128$/ &&
      $6 ~ /^[0-9]+$/ && $6 + 0 >= 8 && $7 ~ /^[0-9]+$/ && $7 + 0 > now + 0 { print $4, $5, $6 }' "$1" | sort -u
}

# "<kind> <handle>" of the interface's root qdisc, e.g. "htb 5357:" (ours) or "pfifo_fast 0:" (the default).
root_qdisc() {
  tc qdisc show dev "$IFACE" 2>/dev/null | awk '/ root / { print $2, $3; exit }'
}

# Our tree is on the interface: the ifb device and the ingress filters that feed it.
tc_live() {
  ip link show dev "$TC_IFB" >/dev/null 2>&1 &&
    [ -n "$(tc filter show dev "$IFACE" parent ffff: prio "$TC_PRIO4" 2>/dev/null)" ]
}

# Removes everything the agent added, and nothing else.
tc_clear() {
  [ "$(root_qdisc)" = "htb $TC_HANDLE:" ] && tc qdisc del dev "$IFACE" root 2>/dev/null
  tc filter del dev "$IFACE" parent ffff: prio "$TC_PRIO4" 2>/dev/null
  tc filter del dev "$IFACE" parent ffff: prio "$TC_PRIO6" 2>/dev/null
  if [ -e "$TC_INGRESS_OURS" ]; then
    tc qdisc del dev "$IFACE" ingress 2>/dev/null
    rm -f "$TC_INGRESS_OURS"
  fi
  ip link del dev "$TC_IFB" 2>/dev/null
  return 0
}

# (Re)builds the agent's tree for a set of throttles, in one `tc -batch`.
tc_build() { # $1 wanted throttles
  if ! ip link show dev "$TC_IFB" >/dev/null 2>&1; then
    ip link add "$TC_IFB" type ifb 2>"$TMP/err" || { log "throttles: cannot add the ifb device $TC_IFB: $(cat "$TMP/err")" >&2; return 1; }
  fi
  ip link set dev "$TC_IFB" up 2>"$TMP/err" || { log "throttles: cannot set $TC_IFB up: $(cat "$TMP/err")" >&2; return 1; }
  root=$(root_qdisc)
  egress=1
  case "$root" in
    "htb $TC_HANDLE:") tc qdisc del dev "$IFACE" root 2>/dev/null ;;
    ""|*" 0:") ;;
    *) egress=0; log "throttles: $IFACE has a root qdisc that is not the agent's ($root); downloads are not limited" >&2 ;;
  esac
  tc qdisc del dev "$TC_IFB" root 2>/dev/null
  if [ -z "$(tc qdisc show dev "$IFACE" ingress 2>/dev/null)" ]; then
    tc qdisc add dev "$IFACE" handle ffff: ingress 2>"$TMP/err" || { log "throttles: cannot add an ingress qdisc to $IFACE: $(cat "$TMP/err")" >&2; return 1; }
    : > "$TC_INGRESS_OURS"
  fi
  tc filter del dev "$IFACE" parent ffff: prio "$TC_PRIO4" 2>/dev/null
  tc filter del dev "$IFACE" parent ffff: prio "$TC_PRIO6" 2>/dev/null
  {
    [ "$egress" -eq 1 ] && echo "qdisc add dev $IFACE root handle $TC_HANDLE: htb default 0"
    echo "qdisc add dev $TC_IFB root handle $TC_HANDLE: htb default 0"
    n=16
    while read -r v4 v6 rate; do
      id=$(printf %x "$n")
      n=$((n + 1))
      # A short queue (about 200 ms at the rate): a throttled device keeps its latency.
      limit=$((rate / 56))
      [ "$limit" -lt 16 ] && limit=16
      [ "$limit" -gt 1000 ] && limit=1000
      for side in down up; do
        if [ "$side" = down ]; then dev=$IFACE dir=dst; [ "$egress" -eq 1 ] || continue; else dev=$TC_IFB dir=src; fi
        echo "class add dev $dev parent $TC_HANDLE: classid $TC_HANDLE:$id htb rate ${rate}kbit ceil ${rate}kbit quantum 1600"
        echo "qdisc add dev $dev parent $TC_HANDLE:$id pfifo limit $limit"
        echo "filter add dev $dev parent $TC_HANDLE: protocol ip prio 1 u32 match ip $dir $v4 flowid $TC_HANDLE:$id"
        echo "filter add dev $dev parent $TC_HANDLE: protocol ipv6 prio 2 u32 match ip6 $dir $v6 flowid $TC_HANDLE:$id"
      done
      echo "filter add dev $IFACE parent ffff: protocol ip prio $TC_PRIO4 u32 match ip src $v4 action mirred egress redirect dev $TC_IFB"
      echo "filter add dev $IFACE parent ffff: protocol ipv6 prio $TC_PRIO6 u32 match ip6 src $v6 action mirred egress redirect dev $TC_IFB"
    done < "$1"
  } > "$TMP/tc.batch"
  tc -batch "$TMP/tc.batch" 2>"$TMP/err" || { log "throttles: tc failed: $(head -n 3 "$TMP/err")" >&2; return 1; }
  return 0
}

# Brings the interface's traffic control in line with the throttles of the applied config.
apply_throttles() { # $1 applied config
  wanted_throttles "$1" > "$TMP/throttles"
  if [ ! -s "$TMP/throttles" ]; then
    # Nothing to limit: remove what an earlier cycle added (its record, or its ifb device, says so).
    if [ -e "$THROTTLES" ] || ip link show dev "$TC_IFB" >/dev/null 2>&1; then
      command -v tc >/dev/null 2>&1 && tc_clear
      rm -f "$THROTTLES"
      log "throttles: none in force, limits removed"
    fi
    return 0
  fi
  if ! command -v tc >/dev/null 2>&1; then
    if [ ! -e "$NO_TC" ]; then
      log "throttles: tc (iproute2) is not installed; $(wc -l < "$TMP/throttles" | tr -d ' ') device(s) are not limited" >&2
      : > "$NO_TC"
    fi
    return 0
  fi
  rm -f "$NO_TC"
  if [ -e "$THROTTLES" ] && [ "$(cat "$TMP/throttles")" = "$(cat "$THROTTLES")" ] && tc_live; then return 0; fi
  if tc_build "$TMP/throttles"; then
    cp "$TMP/throttles" "$THROTTLES"
    log "throttles: $(wc -l < "$THROTTLES" | tr -d ' ') device(s) limited"
  else
    # Retried next cycle; with no throttle left, what was added is removed.
    rm -f "$THROTTLES"
  fi
  return 0
}

cycle() {
  config_state="unchanged"
  set -- -sS -o "$TMP/config" -D "$TMP/headers" -w '%{http_code}' --max-time 30 \
    -H "Authorization: Bearer $SECUREWAVE_TOKEN"
  if [ -s "$ETAG_FILE" ]; then set -- "$@" -H "If-None-Match: $(cat "$ETAG_FILE")"; fi
  code=$(curl "$@" "$BASE/api/agent/config" 2>"$TMP/err"); rc=$?
  # No config this cycle (unreachable, refused, an error page): the throttles
  # of the last applied one still end on time, before this cycle gives up.
  if [ "$rc" -ne 0 ] || { [ "$code" != 200 ] && [ "$code" != 304 ]; }; then
    [ -s "$APPLIED" ] && apply_throttles "$APPLIED"
  fi
  check_http "config pull" "$rc" "$code" || return 1
  case "$code" in
    200)
      if wg syncconf "$IFACE" "$TMP/config" 2>"$TMP/err"; then
        tr -d '\r' < "$TMP/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tail -n 1 > "$ETAG_FILE"
        cp "$TMP/config" "$APPLIED"
        apply_mtu "$APPLIED"
        apply_throttles "$APPLIED"
        config_state="applied"
      else
        rm -f "$ETAG_FILE" "$APPLIED"
        [ "$ONCE" -eq 1 ] && die 4 "wg syncconf $IFACE failed: $(cat "$TMP/err")"
        log "wg syncconf $IFACE failed: $(cat "$TMP/err")"; return 1
      fi ;;
    304)
      # Unchanged upstream, but the interface may have restarted empty: apply
      # the last config again (syncconf leaves live tunnels alone).
      if [ -s "$APPLIED" ] && ! wg syncconf "$IFACE" "$APPLIED" 2>"$TMP/err"; then
        rm -f "$ETAG_FILE" "$APPLIED"
        [ "$ONCE" -eq 1 ] && die 4 "wg syncconf $IFACE failed: $(cat "$TMP/err")"
        log "wg syncconf $IFACE failed: $(cat "$TMP/err")"; return 1
      fi
      # A restarted interface comes back with the default MTU and without the throttles; a throttle may also have ended.
      if [ -s "$APPLIED" ]; then
        apply_mtu "$APPLIED"
        apply_throttles "$APPLIED"
      fi ;;
    *)
      [ "$ONCE" -eq 1 ] && die 3 "config pull: unexpected HTTP $code"
      log "config pull: unexpected HTTP $code"; return 1 ;;
  esac

  if ! wg show "$IFACE" dump > "$TMP/dump" 2>"$TMP/err"; then
    [ "$ONCE" -eq 1 ] && die 4 "wg show $IFACE dump failed: $(cat "$TMP/err")"
    log "wg show $IFACE dump failed: $(cat "$TMP/err")"; return 1
  fi
  # The interface line starts with the private key: it never leaves the server.
  awk 'BEGIN { FS = OFS = "\t" } NR == 1 { $1 = "(none)" } { print }' "$TMP/dump" > "$TMP/dump.blank"
  peers=$(($(wc -l < "$TMP/dump.blank") - 1))
  measure_rtts "$TMP/dump.blank"
  # The ETag of the config now live on the interface: the control plane reuses
  # released addresses only once the interface is known to have dropped them.
  applied_etag=""
  [ -s "$ETAG_FILE" ] && applied_etag=$(cat "$ETAG_FILE")
  code=$(curl -sS -o "$TMP/stats" -w '%{http_code}' --max-time 30 \
    -H "Authorization: Bearer $SECUREWAVE_TOKEN" -H "Content-Type: text/plain" \
    -H "X-Applied-Config: $applied_etag" \
    --data-binary "@$TMP/dump.blank" "$BASE/api/agent/stats" 2>"$TMP/err"); rc=$?
  check_http "stats push" "$rc" "$code" || return 1
  if [ "$code" != "202" ]; then
    [ "$ONCE" -eq 1 ] && die 3 "stats push: HTTP $code: $(cat "$TMP/stats")"
    log "stats push: HTTP $code: $(cat "$TMP/stats")"; return 1
  fi
  log "config $config_state, pushed $peers peer(s): $(cat "$TMP/stats")"
  return 0
}

if [ "$ONCE" -eq 1 ]; then
  cycle
  exit $?
fi
log "starting: $BASE every ${INTERVAL}s"
while :; do
  cycle
  sleep "$INTERVAL" &
  wait $!
done
