#!/usr/bin/env bash
# Starts or stops a throw-away SeaweedFS (master, volume, filer, S3 gateway) on loopback for the
# S3 tests. Every port, gRPC included, is chosen free and set explicitly; telemetry is off.
#   seaweedfs-server.sh start DIR   data, config, log and pid in DIR; prints on its last line
#                                   the URL for NGSHARE_TEST_S3_URL: http://KEY:SECRET@127.0.0.1:PORT
#   seaweedfs-server.sh stop DIR    stops that server (it ignores SIGTERM: SIGKILL after a grace
#                                   period, by its PID) and removes DIR
# Environment: WEED (default: the one test/scripts/setup-seaweedfs.sh installs).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data folder}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

stop() {
  if [ -s "$dir/weed.pid" ]; then
    local pid
    pid=$(cat "$dir/weed.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -rf "$dir"
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi

weed=${WEED:-$(bash "$here/setup-seaweedfs.sh" | tail -n 1)}
mkdir -p "$dir/data"
# Free loopback ports, all at once so that none is handed out twice.
read -r -a ports <<< "$(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
)"
key=ngshare-test
secret=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
cat > "$dir/s3.json" <<JSON
{"identities": [{"name": "tests", "credentials": [{"accessKey": "$key", "secretKey": "$secret"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
# setsid: its own process group, so a Ctrl-C of the caller does not reach it before the stop does.
# -logdir: its glog files go into DIR (removed at stop), not into /tmp.
setsid "$weed" -logdir="$dir" server -s3 -filer -ip=127.0.0.1 -ip.bind=127.0.0.1 -master.telemetry=false \
  -s3.port.iceberg=0 -s3.port.lance=0 -dir="$dir/data" \
  -master.port="${ports[0]}" -master.port.grpc="${ports[1]}" \
  -volume.port="${ports[2]}" -volume.port.grpc="${ports[3]}" \
  -filer.port="${ports[4]}" -filer.port.grpc="${ports[5]}" \
  -s3.port="${ports[6]}" -s3.port.grpc="${ports[7]}" \
  -filer.localSocket="$dir/filer.sock" -s3.localSocket="$dir/s3.sock" \
  -master.volumeSizeLimitMB=256 -volume.max=16 \
  -s3.config="$dir/s3.json" > "$dir/weed.log" 2>&1 < /dev/null &
echo $! > "$dir/weed.pid"
url="http://127.0.0.1:${ports[6]}"
# Ready when the S3 gateway answers (anonymous requests get a 403 then).
for _ in $(seq 1 150); do
  if ! kill -0 "$(cat "$dir/weed.pid")" 2>/dev/null; then
    echo "SeaweedFS stopped at start; its log:" >&2
    tail -n 30 "$dir/weed.log" >&2
    exit 1
  fi
  code=$(python3 -c '
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print(0)' "$url/")
  if [ "$code" = 403 ] || [ "$code" = 200 ]; then
    echo "http://$key:$secret@127.0.0.1:${ports[6]}"
    exit 0
  fi
  sleep 0.2
done
echo "SeaweedFS did not answer on $url within 30 s; its log:" >&2
tail -n 30 "$dir/weed.log" >&2
stop
exit 1
