#!/bin/sh
# `npm start`: the production server (scripts/server.mjs: Next's server as
# `next start` runs it, with the direct lane for config and QR downloads;
# -p, -H and --keepAliveTimeout passed on).
#
# On PostgreSQL it runs as WEB_CONCURRENCY processes sharing the port
# (scripts/cluster.mjs), one per core unless set; WEB_CONCURRENCY=1 runs the
# one server process alone.
#
# On the embedded database the server is tuned for memory: glibc's allocator
# limited to two arenas and large blocks given back to the system, V8 told to
# favour size over speed. About 280 MB resident with 1000 devices instead of
# 350, for a third fewer pages a second (docs/decisions/022). On PostgreSQL
# the server is tuned for throughput (V8's defaults): that is where many
# users are served, by as many instances as needed.
#
# The database is PostgreSQL when DATABASE_URL (from the environment, else
# from a .env file Next would read) starts with postgres:// or postgresql://.
# SECUREWAVE_START_DRY_RUN=1 prints the command instead of running it.
set -eu
cd "$(dirname "$0")/.."

url="${DATABASE_URL:-}"
tuned=""
if [ -z "$url" ]; then
  for f in .env.production.local .env.local .env.production .env; do
    if [ -f "$f" ]; then
      line=$(grep -E '^[[:space:]]*(export[[:space:]]+)?DATABASE_URL=' "$f" | tail -n 1 || true)
      if [ -n "$line" ]; then
        url=$(printf '%s' "${line#*=}" | tr -d "\"' ")
        break
      fi
    fi
  done
fi

case "$url" in
  postgres://* | postgresql://*)
    # One server process per core unless WEB_CONCURRENCY says otherwise (docs/decisions/024).
    workers="${WEB_CONCURRENCY:-$(nproc 2>/dev/null || echo 1)}"
    if [ "$workers" = 1 ]; then
      set -- node scripts/server.mjs "$@"
    else
      export WEB_CONCURRENCY="$workers"
      tuned="WEB_CONCURRENCY=$workers "
      set -- node scripts/cluster.mjs "$@"
    fi
    ;;
  *)
    if [ -n "${WEB_CONCURRENCY:-}" ] && [ "${WEB_CONCURRENCY}" != 1 ]; then
      echo "WEB_CONCURRENCY=${WEB_CONCURRENCY} is not used on the embedded database: one process holds its data directory, so the server runs as one process." >&2
    fi
    export MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
    tuned="MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 "
    set -- node --optimize-for-size --max-semi-space-size=2 scripts/server.mjs "$@"
    ;;
esac

if [ "${SECUREWAVE_START_DRY_RUN:-}" = "1" ]; then
  echo "$tuned$*"
  exit 0
fi
exec "$@"
