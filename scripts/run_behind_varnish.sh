#!/usr/bin/env bash
# Try the site behind Varnish on this machine: gunicorn on 127.0.0.1:8001, Varnish (with the
# shipped VCL, pagecache/varnish/default.vcl) on $HOST (default 127.0.0.1:8000), edits
# purged at the edge by tag. Needs varnishd and varnish-modules (apt-get install varnish
# varnish-modules). Stop with Ctrl-C. `make run` stays the simple way (no Varnish).
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1:8000}"
APP_PORT="${APP_PORT:-8001}"
PY=.venv/bin/python
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$WORK"' EXIT

sed "s/\.port = \"8000\"/.port = \"$APP_PORT\"/" pagecache/varnish/default.vcl > "$WORK/default.vcl"
varnishd -F -j none -n "$WORK/varnish" -a "$HOST" -f "$WORK/default.vcl" -s malloc,128m &
VARNISH=$!

export EDGE_PURGE_URLS="http://$HOST/"
# Pages kept at the edge for an hour: every edit purges them there at once.
export PAGE_HTTP_SHARED_MAX_AGE="${PAGE_HTTP_SHARED_MAX_AGE:-3600}"
# Two app server processes must share one cache, or an edit made in one would leave the
# other serving (and the edge fetching) the old page: Redis when REDIS_URL is set, otherwise
# a folder of this run's.
if [ -z "${REDIS_URL:-}" ] && [ -z "${DJANGO_CACHE_DIR:-}" ]; then
  export DJANGO_CACHE_DIR="$WORK/cache"
fi
$PY -m gunicorn config.wsgi -c gunicorn.conf.py --bind "127.0.0.1:$APP_PORT" --workers 2 &
APP=$!

sleep 2
for pid in "$VARNISH" "$APP"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "Varnish or the app server did not start (see above): stopping." >&2
    exit 1
  fi
done
echo "The site behind Varnish: http://$HOST/ (app servers on 127.0.0.1:$APP_PORT)"
# Whichever stops first (Ctrl-C, a crash) stops the other: no half of the setup runs alone.
set +e
wait -n
status=$?
echo "Varnish or the app server stopped: stopping the other." >&2
exit "$status"
