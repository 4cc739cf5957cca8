#!/usr/bin/env bash
#
# MQTT end to end: simulator → broker → Rosetta (MQTT binding → twin registry → server-sent events) → subscriber,
# against the ceiling measured in the same run on the same broker: a bare Paho subscriber of the same stream.
#
#   benchmarks/scripts/mqtt-e2e.sh                 (after: mvn -B install -DskipTests)
#   benchmarks/scripts/mqtt-e2e.sh --quick         (a few minutes: 700 devices, 3 loads, 1-minute soak)
#   benchmarks/scripts/mqtt-e2e.sh --clients 5000  (no server: what receiving costs Paho and the Vert.x MQTT client,
#                                                   both subscribed to the same stream at R msg/s: --jit-warmup D (20s)
#                                                   of receiving, then --step D (60s) measured)
#
# Options: --devices N (2000) --connections C (4) --qos Q (0) --loads L1,L2,... (1000,2500,5000,7500,10000,12500,15000,
#          17500,20000,25000,30000; after --stop-after N (2) loads in a row that the receiver did not sustain the rest are skipped)
#          --warmup D (5s) --step D (15s) --jit-warmup D (0s: after priming, this long at the highest load up to 5,000
#          msg/s before the measured steps, both for the ceiling and for Rosetta) --soak D (10m) --soak-rate R (2500) --heap-every D (60s)
#          --dialects LIST (every dialect the built binding reads) --out DIR (benchmarks/target/mqtt-e2e/<time>)
#          --distribution TAR.GZ (karaf-assembly/target/rosetta-distribution-*.tar.gz)
# Environment: BENCHMARKS_JAR (benchmarks/target/benchmarks.jar): the harness to run, e.g. a copy that a build cannot replace midway;
#              BINDING_JAR (device-bindings/mqtt/target/rosetta-binding-mqtt-*.jar): the MQTT binding the server installs;
#              ROSETTA_DISTRIBUTION (karaf-assembly/target/rosetta-distribution-*.tar.gz): the server, like --distribution;
#              MQTT_CLIENT (vertx or paho; the binding's default when unset): the binding's client (its key client);
#              LIVE_LINGER_MS (the API's default when unset): live.client.linger.ms of the SSE stream.
#
# It starts (and stops again) a Mosquitto on a free port with max_queued_messages raised, unpacks the built
# distribution into a temporary folder and starts it on free ports without the demo fleet, then:
#   1. ceiling: the simulator and a bare Paho subscriber of '#', at each offered load;
#   2. Rosetta: writes the binding's broker connection and the generic mappings into etc/, feature:install
#      rosetta-binding-mqtt, and measures the same loads with an SSE subscriber of the twins, then a soak run
#      at a fixed load with the server's heap after a full GC read every minute (jcmd);
#   3. writes steps.csv, soak.csv and report.md into the output folder and prints the report.
# Every process it starts is stopped on exit.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="${BENCHMARKS_JAR:-$top/benchmarks/target/benchmarks.jar}"
tarball="${ROSETTA_DISTRIBUTION:-$(ls "$top"/karaf-assembly/target/rosetta-distribution-*.tar.gz 2>/dev/null | head -n 1 || true)}"
# the binding measured is the one built in this tree (the server's system/ folder gets it, ahead of any local Maven repository)
binding_jar="${BINDING_JAR:-$(ls "$top"/device-bindings/mqtt/target/rosetta-binding-mqtt-*.jar 2>/dev/null | grep -v -E 'sources|tests' | head -n 1 || true)}"

devices=2000 connections=4 qos=0 loads=1000,2500,5000,7500,10000,12500,15000,17500,20000,25000,30000 warmup=5s step=15s
soak=10m soak_rate=2500 heap_every=60s dialects="" out="" jit_warmup=0s stop_after=2 clients="" step_set=false
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) devices=700 loads=1000,2500,5000 warmup=3s step=8s soak=60s heap_every=20s; shift ;;
        --devices) devices="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --qos) qos="$2"; shift 2 ;;
        --loads) loads="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --step) step="$2"; step_set=true; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --jit-warmup) jit_warmup="$2"; shift 2 ;;
        --stop-after) stop_after="$2"; shift 2 ;;
        --soak) soak="$2"; shift 2 ;;
        --soak-rate) soak_rate="$2"; shift 2 ;;
        --heap-every) heap_every="$2"; shift 2 ;;
        --dialects) dialects="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --distribution) tarball="$2"; shift 2 ;;
        *) sed -n '2,/^# Every process/p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done

for f in "$jar" "$tarball" "$binding_jar"; do
    if [ -z "$f" ] || [ ! -f "$f" ]; then
        echo "mqtt-e2e.sh: build first (mvn -B install -DskipTests): missing ${f:-the distribution or device-bindings/mqtt/target/rosetta-binding-mqtt-*.jar}" >&2
        exit 2
    fi
done
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mqtt-e2e.sh: needs mosquitto (Debian package mosquitto)" >&2; exit 2; }
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

# the dialects both sides speak: Sparkplug B only when the built binding reads it
if [ -z "$dialects" ]; then
    dialects="zigbee2mqtt,tasmota,shelly,homie,homeassistant,generic"
    if unzip -l "$binding_jar" | grep -i 'dialect/Sparkplug' >/dev/null; then   # (grep -q would end unzip early: pipefail)
        dialects="$dialects,sparkplug"
    fi
fi

out="${out:-$top/benchmarks/target/mqtt-e2e/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
work="$(mktemp -d)"
password="bench-$RANDOM$RANDOM$RANDOM"
label="$(date -u +%Y-%m-%dT%H:%M:%SZ) devices=$devices qos=$qos"
mosquitto_pid="" home=""
java_opts=(-Xms512m -Xmx1g)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # seconds, command...
    local limit=$1; shift
    local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.2
    done
}
server_pid() { pgrep -f "[k]araf.home=${home%/}" | head -n 1; }

cleanup() {
    set +e
    if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
        "$home/bin/stop" >/dev/null 2>&1
        wait_for 60 bash -c "! pgrep -f '[k]araf.home=${home%/}'"
        cp "$home/data/log/karaf.log" "$out/karaf.log" 2>/dev/null  # the server's log stays with the figures
        pid="$(server_pid)"; [ -n "$pid" ] && kill -9 "$pid"
    fi
    if [ -n "$mosquitto_pid" ]; then
        kill "$mosquitto_pid" 2>/dev/null; wait "$mosquitto_pid" 2>/dev/null
    fi
    [ -n "$home" ] && cp "$home/data/log/karaf.log" "$out/karaf.log" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "output: $out"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the broker: a Mosquitto of our own on a free port, queues raised for subscribers that fall behind in bursts
mqtt_port=$(free_port)
cat > "$work/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
user $(id -un)
allow_anonymous true
persistence false
max_queued_messages 100000
max_inflight_messages 1000
set_tcp_nodelay true
log_dest file $work/mosquitto.log
CONF
"$mosquitto_bin" -c "$work/mosquitto.conf" &
mosquitto_pid=$!
broker="tcp://127.0.0.1:$mqtt_port"
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$mqtt_port" || { echo "Mosquitto did not start; see $work/mosquitto.log" >&2; exit 1; }
echo "broker: Mosquitto $("$mosquitto_bin" -h 2>/dev/null | head -n 1 | awk '{print $3}') at $broker (pid $mosquitto_pid)"

if [ -n "$clients" ]; then
    echo; echo "== MQTT clients: Paho against Vert.x MQTT, the same stream at $clients msg/s"
    $step_set || step=60s
    [ "$jit_warmup" != 0s ] || jit_warmup=20s   # both clients' code compiled before the measurement
    java -Xms256m -Xmx1g -cp "$jar" io.rosetta.benchmarks.e2e.ClientReceiveCost run --broker "$broker" --devices "$devices" \
        --connections "$connections" --dialects "$dialects" --rate "$clients" --warmup "$jit_warmup" --seconds "$step" \
        | tee "$out/clients.txt"
    exit "${PIPESTATUS[0]}"
fi

# ---- the server: the built distribution, free ports, no demo fleet
tar xzf "$tarball" -C "$work"
home="$(ls -d "$work"/rosetta-*/ | head -n 1)"
# feature:install finds the binding in system/ before the local Maven repository (which may hold another build)
binding_version="$(basename "$binding_jar" .jar | sed 's/^rosetta-binding-mqtt-//')"
mkdir -p "$home/system/io/rosetta/rosetta-binding-mqtt/$binding_version"
cp "$binding_jar" "$home/system/io/rosetta/rosetta-binding-mqtt/$binding_version/rosetta-binding-mqtt-$binding_version.jar"
http=$(free_port); ssh=$(free_port)
sed -i "s/^http.port.*/http.port = $http/" "$home/etc/io.rosetta.camel.cfg"
sed -i "s/^sshPort.*/sshPort = $ssh/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i '/rosetta-binding-virtual/d' "$home/etc/org.apache.karaf.features.cfg"
rm -f "$home/etc/io.rosetta.binding.virtual-demo.cfg"
if [ -n "${LIVE_LINGER_MS:-}" ]; then
    echo "live.client.linger.ms = $LIVE_LINGER_MS" >> "$home/etc/io.rosetta.api.cfg"
fi
ROSETTA_ADMIN_PASSWORD="$password" "$home/bin/start"
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$password" "http://127.0.0.1:$http/api/2/things?ids=mqtt:none")" = 200 ]; }
wait_for 180 ready || { echo "server not ready within 180 s; see $home/data/log/karaf.log" >&2; cp "$home/data/log/karaf.log" "$out/" || true; exit 1; }
pid="$(server_pid)"
echo "server: $home on http $http, ssh $ssh (pid $pid)"

common=(--broker "$broker" --devices "$devices" --connections "$connections" --qos "$qos" --dialects "$dialects"
        --loads "$loads" --warmup "$warmup" --step "$step" --jit-warmup "$jit_warmup" --stop-after "$stop_after" --server-pid "$pid" --broker-pid "$mosquitto_pid"
        --out "$out" --label "$label")

# ---- 1. the ceiling: a bare subscriber of the same stream, the server idle beside it
echo; echo "== ceiling: bare Paho subscriber"
java "${java_opts[@]}" -cp "$jar" io.rosetta.benchmarks.e2e.MqttEndToEnd ceiling "${common[@]}"

# ---- 2. Rosetta: the MQTT binding installed at runtime, connected to the same broker
binding_dialects="$(echo "$dialects" | sed 's/,/, /g')"
cat > "$home/etc/io.rosetta.binding.mqtt.broker-local.cfg" <<CFG
url = $broker
${MQTT_CLIENT:+client = $MQTT_CLIENT}
clientId = rosetta-e2e
cleanSession = true
keepAlive = 60s
maxInflight = 1000
qos = 1
dialects = $binding_dialects
autoApprove = *
namespace = mqtt
offlineGrace = 30s
maxPayloadBytes = 1048576
CFG
cp "$top"/benchmarks/scripts/etc/io.rosetta.binding.mqtt.generic-*.cfg "$home/etc/"
ROSETTA_ADMIN_PASSWORD="$password" ROSETTA_SSH_PORT=$ssh ROSETTA_RETRIES=10 "$home/bin/rosetta" feature:install rosetta-binding-mqtt
echo; echo "== Rosetta: binding → twins → SSE subscriber"
java "${java_opts[@]}" -cp "$jar" io.rosetta.benchmarks.e2e.MqttEndToEnd rosetta "${common[@]}" \
    --api "http://127.0.0.1:$http" --user admin --password "$password" --namespace mqtt \
    --soak "$soak" --soak-rate "$soak_rate" --heap-every "$heap_every"

# ---- 3. the report
echo; echo "== report ($out/report.md)"
java -cp "$jar" io.rosetta.benchmarks.e2e.MqttEndToEnd report --out "$out"
