#!/usr/bin/env bash
#
# Device authentication against the device registry through the embedded MQTT broker, and what a storm of logins
# does to the ingest of devices that are already connected (io.rosetta.benchmarks.BrokerAuthLoad), on a server
# unpacked from the built distribution into a temporary folder, on free ports:
#
#   benchmarks/scripts/broker-auth.sh [--devices 300] [--publishers 50] [--rate 2000] [--storm 1000] [--phase 15]
#
# The server gets a service account (a random password, its Argon2id hash made with the argon2 command line tool),
# the embedded broker (rosetta-broker) and --devices devices imported from a CSV file with their MQTT passwords
# (Argon2id with the registry's default cost). Then: --publishers of them stay connected and publish --rate messages/s
# in all, while the others log in once each (first logins: Argon2id verifications), then --storm times per second for
# --phase seconds (passwords remembered by the registry). The server is stopped and its folder deleted at the end.
# Needs benchmarks/target/benchmarks.jar (mvn -B -pl benchmarks -am package -DskipTests) or BENCH_CP (a class path with
# BrokerAuthLoad, Paho and HdrHistogram); karaf-assembly/target/rosetta-distribution-*.tar.gz; argon2; python3.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
devices=300
publishers=50
rate=2000
storm=1000
phase=15
while [ $# -gt 0 ]; do
    case "$1" in
        --devices) devices="$2"; shift 2 ;;
        --publishers) publishers="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --storm) storm="$2"; shift 2 ;;
        --phase) phase="$2"; shift 2 ;;
        *) echo "broker-auth.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

dist="${ROSETTA_DIST:-$(ls "$top"/karaf-assembly/target/rosetta-distribution-*.tar.gz 2>/dev/null | head -1)}"
[ -f "$dist" ] || { echo "broker-auth.sh: the distribution archive is missing (mvn -B install -DskipTests)" >&2; exit 2; }
cp="${BENCH_CP:-$top/benchmarks/target/benchmarks.jar}"
command -v argon2 >/dev/null || { echo "broker-auth.sh: the argon2 command line tool is missing (Debian package argon2)" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

tar xzf "$dist" -C "$work"
home="$(ls -d "$work"/rosetta-*)"
ssh_port=$(free_port); http_port=$(free_port); https_port=$(free_port); mqtt_port=$(free_port)
sed -i "s/^sshPort *=.*/sshPort = $ssh_port/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^http.port *=.*/http.port = $http_port/; s/^https.port *=.*/https.port = $https_port/" "$home/etc/io.rosetta.camel.cfg"
# no simulated fleet: the machine's processors are for the broker
sed -i '/rosetta-binding-virtual/d' "$home/etc/org.apache.karaf.features.cfg"
service_password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
service_hash="$(printf '%s' "$service_password" | argon2 "$(head -c 12 /dev/urandom | base64 | tr -d '/+=')" -id -t 2 -m 15 -p 1 -e)"
cat > "$home/etc/io.rosetta.broker.cfg" <<CFG
host = 127.0.0.1
port = $mqtt_port
persistence = false
servicePasswordHash = $service_hash
CFG

export ROSETTA_ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export ROSETTA_SSH_PORT="$ssh_port"
"$home/bin/karaf" server > "$work/karaf.out" 2>&1 &
pid=$!
t0=$(date +%s)
ROSETTA_RETRIES=120 "$home/bin/rosetta" 'feature:install rosetta-broker' > /dev/null
echo "server up and rosetta-broker installed in $(( $(date +%s) - t0 )) s (MQTT port $mqtt_port)"
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null && break; sleep 0.2; done

{
    echo "deviceId,model,mqttUsername,mqttPassword"
    for i in $(seq -w 1 "$devices"); do
        echo "bench-$i,rosetta:temperature-humidity-sensor:1.0.0,bench-$i,pw-$(head -c 9 /dev/urandom | base64 | tr -d '/+=')"
    done
} > "$home/devices.csv"
t0=$(date +%s%N)
"$home/bin/rosetta" 'rosetta:provision --file devices.csv' | tail -2
echo "imported $devices devices in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xms256m -Xmx1g -cp "$cp" io.rosetta.benchmarks.BrokerAuthLoad --broker "tcp://127.0.0.1:$mqtt_port" \
    --service "rosetta:$service_password" --devices "$home/devices.csv" --publishers "$publishers" --rate "$rate" \
    --storm "$storm" --phase "${phase}s"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h "refused client\|credentials revoked" "$home/data/log/karaf.log" | tail -3 || true
