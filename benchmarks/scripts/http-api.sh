#!/usr/bin/env bash
#
# GET twin and PATCH property over keep-alive HTTP, against a bare route on the same HTTP server that returns a constant,
# in the same run, on a fresh copy of the built distribution.
#
#   benchmarks/scripts/http-api.sh [rounds] [seconds] [connections]      (after: mvn -B install -DskipTests)
#
# The bare route is an integrator route file (etc/routes/bench-constant.yaml): platform-http:/bench/constant, a constant
# JSON body, no authentication. The API requests carry HTTP Basic credentials (the login is remembered after the first
# request, which is made before the measurement). PATCH merges {"value":n} into /features/bench/properties of one of 100
# twins in turn (journaled with the default fsync policy). Each round measures, in this order: constant GET, twin GET,
# constant PATCH, twin PATCH, each after a 3 s warm-up; the load generator is benchmarks/.../HttpLoad.java (one thread,
# a selector, N keep-alive connections). Prints the CSV lines, the medians, the ratios and the load average.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tarball="$(ls "$top"/karaf-assembly/target/rosetta-distribution-*.tar.gz | head -n 1)"
rounds="${1:-3}"
seconds="${2:-10}"
connections="${3:-32}"
password="bench-$RANDOM$RANDOM"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

dir="$(mktemp -d)"
cleanup() {
    if [ -n "${home:-}" ] && [ -x "$home/bin/stop" ]; then "$home/bin/stop" >/dev/null 2>&1 || true; fi
    # bin/stop returns before the JVM is gone: wait for it, then remove the copy
    for _ in $(seq 1 100); do pgrep -f "$dir" >/dev/null || break; sleep 0.2; done
    rm -rf "$dir"
}
trap cleanup EXIT

tar xzf "$tarball" -C "$dir"
home="$(ls -d "$dir"/*/ | head -n 1)"
http=$(free_port); https=$(free_port); ssh=$(free_port)
sed -i "s/^http.port.*/http.port = $http/; s/^https.port.*/https.port = $https/" "$home/etc/io.rosetta.camel.cfg"
sed -i "s/^sshPort.*/sshPort = $ssh/" "$home/etc/org.apache.karaf.shell.cfg"
cat > "$home/etc/routes/bench-constant.yaml" <<'EOF'
- route:
    id: bench-constant
    from:
      uri: platform-http:/bench/constant
      steps:
        - setBody:
            constant: '{"thingId":"bench:constant","policyId":"bench:constant","features":{"bench":{"properties":{"value":0}}},"_revision":1}'
        - setHeader:
            name: Content-Type
            constant: application/json
EOF

mkdir -p "$dir/classes"
javac -d "$dir/classes" "$top/benchmarks/src/main/java/io/rosetta/benchmarks/HttpLoad.java"

ROSETTA_ADMIN_PASSWORD="$password" "$home/bin/start"
base="http://127.0.0.1:$http"
for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$password" "$base/api/2/things/demo:device-01")" = 200 ] \
        && [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/bench/constant")" = 200 ]; then
        ready=1; break
    fi
    sleep 0.2
done
[ -n "${ready:-}" ] || { echo "not ready in 120 s; see $home/data/log/karaf.log" >&2; exit 1; }
for t in $(seq 0 99); do
    curl -s -o /dev/null -u "admin:$password" -X PUT -H 'Content-Type: application/json' \
        -d '{"features":{"bench":{"properties":{"value":0}}}}' "$base/api/2/things/bench:twin-$t"
done

auth="Authorization: Basic $(printf 'admin:%s' "$password" | base64)"
patch_type="Content-Type: application/merge-patch+json"
load() { java -cp "$dir/classes" io.rosetta.benchmarks.HttpLoad --connections "$connections" --warmup 3 --duration "$seconds" "$@"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "label,requests_per_s,requests,non_2xx,errors,p50_ms,p99_ms,p999_ms,statuses"
results="$dir/results.csv"
for round in $(seq 1 "$rounds"); do
    load --label constant-get --url "$base/bench/constant" | tee -a "$results"
    load --label twin-get --url "$base/api/2/things/demo:device-01" --header "$auth" | tee -a "$results"
    load --label constant-patch --url "$base/bench/constant" --method PATCH --header "$patch_type" --body '{"value":{n}}' | tee -a "$results"
    load --label twin-patch --url "$base/api/2/things/bench:twin-{t}/features/bench/properties" --things 100 --method PATCH \
        --header "$auth" --header "$patch_type" --body '{"value":{n}}' | tee -a "$results"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$results" <<'EOF'
import csv, statistics, sys
rates = {}
for row in csv.reader(open(sys.argv[1])):
    rates.setdefault(row[0], []).append(float(row[1]))
med = {k: statistics.median(v) for k, v in rates.items()}
for k in ("constant-get", "twin-get", "constant-patch", "twin-patch"):
    print(f"# median {k}: {med[k]:.0f} req/s over {len(rates[k])} rounds {sorted(round(x) for x in rates[k])}")
print(f"# ratio GET twin / constant: {med['twin-get'] / med['constant-get']:.2f}")
print(f"# ratio PATCH twin / constant: {med['twin-patch'] / med['constant-patch']:.2f}")
EOF
