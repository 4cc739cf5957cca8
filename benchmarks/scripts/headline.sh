#!/usr/bin/env bash
#
# The headline benchmarks: one command, the whole suite, a report (report.md, a CSV per scenario, plot.png).
#
#   benchmarks/scripts/headline.sh            (after: mvn -B install -DskipTests; about 15 minutes on 2 cores)
#   benchmarks/scripts/headline.sh --quick    (a smoke run of every scenario: a few minutes, small fleet, 100 k twins)
#
# Scenarios, each against a baseline measured in the same run:
#   1. MQTT ingest of a mixed fleet (mqtt-e2e.sh): Rosetta (binding → twins → SSE) against a bare Paho subscriber;
#   2. the same job by Node-RED 4.1 (benchmarks/node-red/flow.json: mqtt in → parse and map → websocket out), same
#      fleet, same loads, a Mosquitto of the same configuration; CPU seconds per 1,000 messages of each server;
#   3. overload: offered loads up to 10 × what Rosetta sustained in 1, the server's RSS sampled, then a recovery run
#      with the heap after GC read (mqtt-e2e.sh --soak);
#   4. 1 M twins (3 features × 3 properties): heap per twin, restart with a snapshot and a journal tail on disk;
#   5. boot to ready (first start and restart) and feature:install of a binding (boot.sh).
#
# Options: --quick  --devices N (10000)  --loads L1,L2,... (1000,2500,5000,10000,15000,20000,25000,30000,35000,40000)  --warmup D (4s)
#          --step D (10s)  --dialects LIST (zigbee2mqtt,tasmota,shelly,generic)  --factors F1,F2,... (1,2,5,10)
#          --twins N (1000000)  --only LIST (some of 1,2,3,4,5)  --out DIR (benchmarks/target/headline/<time>)
#          --base R (scenario 3's reference rate instead of what Rosetta sustained in 1)
#          --jit-warmup D (30s; 15s with --quick): scenarios 1 and 2, after priming, this long at the highest load up to
#          5,000 msg/s before the measured steps, the same for Rosetta, the ceiling and Node-RED, so that the CPU counted is
#          the steady state's and not the JVM's just-in-time compiler warming up (its remaining share is reported apart)
#          --jfr (a flight recording of the server in scenario 1, up to its last 10 s: s1/server.jfr, hot methods in s1/hot-methods.txt)
# Every process it starts (Mosquitto, Karaf, Node-RED, JVMs) is stopped on exit.
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scripts="$top/benchmarks/scripts"
jar="${BENCHMARKS_JAR:-$top/benchmarks/target/benchmarks.jar}"

devices=10000 loads=1000,2500,5000,10000,15000,20000,25000,30000,35000,40000 warmup=4s step=10s dialects=zigbee2mqtt,tasmota,shelly,generic
factors=1,2,5,10 twins=1000000 only=1,2,3,4,5 out="" quick=false recovery=40s jfr=false base="" jit_warmup=30s
args="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=true devices=2000 loads=1000,2500,5000 warmup=3s step=6s factors=1,5,10 twins=100000 recovery=30s jit_warmup=15s; shift ;;
        --devices) devices="$2"; shift 2 ;;
        --loads) loads="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --step) step="$2"; shift 2 ;;
        --dialects) dialects="$2"; shift 2 ;;
        --factors) factors="$2"; shift 2 ;;
        --twins) twins="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --jfr) jfr=true; shift ;;
        --base) base="$2"; shift 2 ;;
        --jit-warmup) jit_warmup="$2"; shift 2 ;;
        *) sed -n '2,/^# Every process/p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

[ -f "$jar" ] || { echo "headline.sh: $jar is missing; build first: mvn -B install -DskipTests" >&2; exit 2; }
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
[ -x "$mosquitto_bin" ] || { echo "headline.sh: needs mosquitto (Debian package mosquitto)" >&2; exit 2; }

out="${out:-$top/benchmarks/target/headline/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
exec > >(tee -a "$out/console.log") 2>&1
work="$(mktemp -d)"
mosquitto_pid="" nodered_pid="" sampler_pid=""
# a private copy of the jar: a rebuild of the benchmarks module during the run must not pull it from under the JVMs
cp "$jar" "$work/benchmarks.jar"
jar="$work/benchmarks.jar"
export BENCHMARKS_JAR="$jar"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # seconds, command...
    local limit=$1; shift
    local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.2
    done
}
stop_pid() { # pid: TERM, then KILL after 10 s
    local p=$1
    [ -n "$p" ] || return 0
    kill "$p" 2>/dev/null || return 0
    wait_for 10 bash -c "! kill -0 $p" || kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null || true
}
cleanup() {
    set +e
    stop_pid "$sampler_pid"
    stop_pid "$nodered_pid"
    stop_pid "$mosquitto_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

started=$(date +%s)
# the machine's CPU ticks so far, all and stolen by the hypervisor (the first line of /proc/stat): with the same taken at
# the end, the share of the run's CPU time that other guests of a shared virtual machine took
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9; exit}' /proc/stat; }
ticks_start="$(machine_ticks)"
machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -n 1), node $(node --version 2>/dev/null || echo none)"
{
    echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine=$machine"
    echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "options=devices $devices, loads $loads, warmup $warmup, step $step, JIT warm-up $jit_warmup, dialects $dialects, factors $factors, twins $twins$($quick && echo ', quick')"
    echo "command=benchmarks/scripts/headline.sh $args"
} > "$out/run.properties"
echo "output: $out"
echo "machine: $machine, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 5. boot to ready (first start, restart), feature:install of a binding
if wants 5; then
    echo; echo "== 5. boot to ready and feature:install (boot.sh)"
    TMPDIR="$work" "$scripts/boot.sh" 1 | tee "$out/boot.csv"
fi

# ---- 1. Rosetta against the ceiling (the Rosetta rows also serve scenario 2)
if wants 1 || wants 2; then
    echo; echo "== 1. MQTT ingest: Rosetta against a bare Paho subscriber (mqtt-e2e.sh)"
    mkdir -p "$work/s1"
    mkdir -p "$out/s1" "$work/s1"
    if $jfr; then
        # a flight recording of the server alone (the Karaf client JVMs of feature:install share its environment, so not
        # EXTRA_JAVA_OPTS): started with jcmd once the server is up, dumped every 10 s while it runs
        (
            until p="$(pgrep -f "[k]araf.home=$work/s1" | head -n 1)" && [ -n "$p" ]; do sleep 0.5; done
            sleep 2
            jcmd "$p" JFR.start name=headline settings=profile >/dev/null 2>&1
            while kill -0 "$p" 2>/dev/null; do
                sleep 10
                jcmd "$p" JFR.dump name=headline filename="$work/dump.jfr" >/dev/null 2>&1 && mv "$work/dump.jfr" "$out/s1/server.jfr"
            done
        ) &
        sampler_pid=$!
    fi
    TMPDIR="$work/s1" "$scripts/mqtt-e2e.sh" --devices "$devices" --dialects "$dialects" --loads "$loads" \
        --warmup "$warmup" --step "$step" --jit-warmup "$jit_warmup" --soak 0s --out "$out/s1" || echo "mqtt-e2e.sh ended with $?" | tee -a "$out/problems.txt"
    stop_pid "$sampler_pid"; sampler_pid=""
    if $jfr && [ -f "$out/s1/server.jfr" ]; then
        # top frames of the execution samples, and the io.rosetta methods on the stacks (inclusive)
        # chunk by chunk: the JDK 17 tool cannot read some multi-chunk recordings whole ("Unknown string encoding")
        mkdir -p "$work/chunks"
        jfr disassemble --max-chunks 1 --output "$work/chunks" "$out/s1/server.jfr" >/dev/null 2>&1 || cp "$out/s1/server.jfr" "$work/chunks/"
        for chunk in "$work"/chunks/*.jfr; do
            jfr print --events jdk.ExecutionSample --stack-depth 64 "$chunk" 2>/dev/null || true
        done > "$work/samples.txt"
        {
            echo "samples: $(grep -c 'jdk.ExecutionSample' "$work/samples.txt")"
            echo "-- top frames"
            awk '/stackTrace = \[/ {getline; sub(/line:.*/, ""); gsub(/^ +/, ""); print}' "$work/samples.txt" | sort | uniq -c | sort -rn | head -25
            echo "-- io.rosetta methods on the stack (inclusive)"
            awk '/stackTrace = \[/ {inst = 1; delete seen; next} inst && /io\.rosetta/ {k = $0; sub(/line:.*/, "", k); gsub(/^ +/, "", k);
                 if (!(k in seen)) {seen[k] = 1; c[k]++}} /^}/ {inst = 0} END {for (k in c) print c[k], k}' "$work/samples.txt" | sort -rn | head -25
        } > "$out/s1/hot-methods.txt"
        echo "flight recording: $out/s1/server.jfr, hot methods: $out/s1/hot-methods.txt"
    fi
fi

# ---- 2. Node-RED doing the same job
start_mosquitto() { # dir
    local port; port=$(free_port)
    cat > "$1/mosquitto.conf" <<CONF
listener $port 127.0.0.1
user $(id -un)
allow_anonymous true
persistence false
max_queued_messages 100000
max_inflight_messages 1000
set_tcp_nodelay true
log_dest file $1/mosquitto.log
CONF
    "$mosquitto_bin" -c "$1/mosquitto.conf" &
    mosquitto_pid=$!
    mqtt_port=$port
    wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || { echo "Mosquitto did not start" >&2; exit 1; }
}
if wants 2; then
    echo; echo "== 2. the same job by Node-RED"
    nr="$top/benchmarks/node-red"
    if [ ! -x "$nr/node_modules/.bin/node-red" ]; then
        echo "installing Node-RED (npm, into benchmarks/node-red/node_modules)"
        npm install --prefix "$nr" --no-audit --no-fund >/dev/null
    fi
    (cd "$nr" && node -e 'const f=require("./flow.json");const m=f.find(n=>n.id==="map");
        if(m.func!==require("fs").readFileSync("map.js","utf8")){console.error("flow.json is older than map.js: node build-flow.js");process.exit(1)}')
    mkdir -p "$work/s2/user"
    start_mosquitto "$work/s2"
    cp "$nr/flow.json" "$work/s2/user/flow.json"
    nr_port=$(free_port)
    MQTT_HOST=127.0.0.1 MQTT_PORT=$mqtt_port NODE_RED_PORT=$nr_port NODE_RED_USER_DIR="$work/s2/user" \
        node "$nr/node_modules/node-red/red.js" --settings "$nr/settings.js" --userDir "$work/s2/user" \
        "$work/s2/user/flow.json" > "$out/node-red.log" 2>&1 &
    nodered_pid=$!
    wait_for 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$nr_port" || { echo "Node-RED did not start; see $out/node-red.log" >&2; exit 1; }
    echo "Node-RED $(node -p 'require("'"$nr"'/node_modules/node-red/package.json").version') on port $nr_port (pid $nodered_pid), Mosquitto pid $mosquitto_pid"
    java -Xms512m -Xmx1g -cp "$jar" io.rosetta.benchmarks.headline.NodeRedEndToEnd --broker "tcp://127.0.0.1:$mqtt_port" \
        --ws "ws://127.0.0.1:$nr_port/ws/twins" --server-pid "$nodered_pid" --broker-pid "$mosquitto_pid" \
        --devices "$devices" --dialects "$dialects" --loads "$loads" --warmup "$warmup" --step "$step" --jit-warmup "$jit_warmup" \
        --out "$out/s2" --label "$(date -u +%Y-%m-%dT%H:%M:%SZ) devices=$devices" || echo "Node-RED run ended with $?" | tee -a "$out/problems.txt"
    stop_pid "$nodered_pid"; nodered_pid=""
    stop_pid "$mosquitto_pid"; mosquitto_pid=""
fi

# ---- 3. overload: up to 10 × what Rosetta sustained, RSS sampled, then recovery with the heap after GC
if wants 3; then
    echo; echo "== 3. overload and recovery"
    sustained=$(awk -F, 'NR>1 && $1=="rosetta" {if ($16=="true" && !broken) max=$3; else broken=1} END {print max+0}' "$out/s1/steps.csv" 2>/dev/null || echo 0)
    [ -n "$base" ] && sustained="$base"
    [ "$sustained" -gt 0 ] 2>/dev/null || sustained=1000
    # each overload step is followed by a step at half the rate, which shows the recovery; every step runs, sustained
    # or not (--stop-after: an overloaded server is what this scenario measures); shorter steps than 1 and 2 (3 s + 6 s)
    # keep the suite within 15 minutes
    overload=$(echo "$factors" | tr ',' '\n' | awk -v r="$sustained" '{printf "%s%d,%d", (NR>1?",":""), $1*r, r/2}')
    echo "Rosetta sustained $sustained msg/s in scenario 1: offered loads $overload, then ${recovery} at $((sustained / 2)) msg/s"
    echo "base_msg_s=$sustained" > "$out/s3.properties"
    mkdir -p "$work/s3" "$out/s3"
    (   # the server's resident set every second (found by its karaf.home under this run's temporary folder)
        echo "t_s,rss_mb,threads" > "$out/s3/rss.csv"
        t0=$(date +%s.%N)
        while true; do
            p="$(pgrep -f "[k]araf.home=$work/s3" | head -n 1 || true)"
            if [ -n "$p" ] && [ -r "/proc/$p/status" ]; then
                awk -v t="$(echo "$(date +%s.%N) - $t0" | bc)" '/^VmRSS/ {r=$2} /^Threads/ {th=$2} END {if (r) printf "%.1f,%.1f,%d\n", t, r/1024, th}' \
                    "/proc/$p/status" >> "$out/s3/rss.csv" 2>/dev/null || true
            fi
            sleep 1
        done
    ) &
    sampler_pid=$!
    TMPDIR="$work/s3" "$scripts/mqtt-e2e.sh" --devices "$devices" --dialects "$dialects" --loads "$overload" --stop-after 1000 \
        --warmup 3s --step 6s --soak "$recovery" --soak-rate "$((sustained / 2))" --heap-every 10s \
        --out "$out/s3" || echo "mqtt-e2e.sh (overload) ended with $?" | tee -a "$out/problems.txt"
    stop_pid "$sampler_pid"; sampler_pid=""
    {
        echo "oom=$(grep -c 'OutOfMemoryError' "$out/s3/karaf.log" 2>/dev/null || true)"
        echo "overloaded_log_lines=$(grep -c 'OVERLOADED\|inbound queue .* is full' "$out/s3/karaf.log" 2>/dev/null || true)"
    } >> "$out/s3.properties"
fi

# ---- 4. 1 M twins: heap per twin, restart with them on disk
if wants 4; then
    echo; echo "== 4. $twins twins: heap per twin and restart"
    heap=$(( twins / 1000000 * 3 + 2 ))
    echo "phase,twins,seconds,heap_after_gc_mb,bytes_per_twin,disk_mb" > "$out/twins.csv"
    java "-Xmx${heap}g" -cp "$jar" io.rosetta.benchmarks.headline.TwinRestart write "$work/journal" "$twins" | tee -a "$out/twins.csv"
    java "-Xmx${heap}g" -cp "$jar" io.rosetta.benchmarks.headline.TwinRestart restart "$work/journal" | tee -a "$out/twins.csv"
    rm -rf "$work/journal"
    # the footprint benchmark's own figure (twins parsed from JSON into an in-memory registry), same twin count
    java "-Xmx$(( heap + 1 ))g" -cp "$jar" io.rosetta.benchmarks.Footprint rosetta "$twins" | tee "$work/footprint.txt"
    awk -v n="$twins" '/bytes per twin/ {for (i = 1; i <= NF; i++) if ($(i+1) == "bytes") b = $i; printf "footprint-in-memory,%d,NaN,NaN,%s,0\n", n, b}' \
        "$work/footprint.txt" >> "$out/twins.csv"
fi

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/run.properties"
echo "$ticks_start $(machine_ticks)" | awk '{ t = $3 - $1; printf "steal_percent=%s\n", (t > 0 ? sprintf("%.1f", 100 * ($4 - $2) / t) : "?") }' \
    >> "$out/run.properties"
echo "seconds=$(( $(date +%s) - started ))" >> "$out/run.properties"
echo; echo "== report ($out/report.md, $out/plot.png)"
java -Djava.awt.headless=true -cp "$jar" io.rosetta.benchmarks.headline.HeadlineReport "$out"
