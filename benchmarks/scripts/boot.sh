#!/usr/bin/env bash
#
# Boot to ready and feature:install of a binding, measured on a fresh copy of the built distribution.
#
#   benchmarks/scripts/boot.sh [runs]        (after: mvn -B install -DskipTests)
#
# "Ready" = the HTTP API answers 200 for a twin of the demo fleet, i.e. the registry is rebuilt, the
# models are loaded, the virtual binding has attached its devices and the API route is up.
# "Install" = `feature:install rosetta-binding-virtual` (after an uninstall) until its twins are ONLINE again.
# "Restart" = then bin/stop and bin/start of the same copy until ready again: an installed server's start, without
# the first start's work (resolving and installing the boot features, the HTTPS certificate, the administrator's
# password and SSH key). Ready means the same there: the API answers for the twin, which the registry now rebuilds
# from disk.
# Ports are free ones picked per run; the copy is deleted afterwards (also when a run fails, its server stopped).
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tarball="$(ls "$top"/karaf-assembly/target/rosetta-distribution-*.tar.gz | head -n 1)"
runs="${1:-3}"
password="bench-$RANDOM$RANDOM"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now() { date +%s.%N; }

wait_for() { # seconds, command...
    local limit=$1; shift
    local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.1
    done
}

ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$password" "http://127.0.0.1:$http/api/2/things/demo:device-01")" = 200 ]; }
online() { curl -s -u "admin:$password" "http://127.0.0.1:$http/api/2/things/demo:device-01?fields=_connectivity" | grep -q '"ONLINE"'; }
offline() { curl -s -u "admin:$password" "http://127.0.0.1:$http/api/2/things/demo:device-01?fields=_connectivity" | grep -q '"OFFLINE"'; }

start_until_ready() { # what to add to the error message; prints the seconds from bin/start to ready
    local start
    start=$(now)
    ROSETTA_ADMIN_PASSWORD="$password" "$home/bin/start" >&2   # stdout is the figure
    if ! wait_for 120 ready; then
        echo "run $run: not ready within 120 s$1; see $home/data/log/karaf.log" >&2
        "$home/bin/stop" >&2 || true
        exit 1
    fi
    echo "$(now) - $start" | bc
}

stop_server() {
    "$home/bin/stop" >/dev/null 2>&1 || true
    # "[k]araf" keeps pgrep from matching its own command line
    wait_for 60 bash -c "! pgrep -f '[k]araf.home=${home%/}' >/dev/null"
}

dir="" home=""
cleanup() { # a run that fails midway leaves no server running and no copy behind
    if [ -n "$home" ]; then stop_server; fi
    if [ -n "$dir" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
trap 'exit 143' INT TERM

printf 'run,boot_to_ready_s,feature_install_s,restart_to_ready_s\n'
for run in $(seq 1 "$runs"); do
    dir="$(mktemp -d)"
    tar xzf "$tarball" -C "$dir"
    home="$(ls -d "$dir"/*/ | head -n 1)"
    http=$(free_port); https=$(free_port); ssh=$(free_port); rmir=$(free_port); rmis=$(free_port)
    sed -i "s/^http.port.*/http.port = $http/; s/^https.port.*/https.port = $https/" "$home/etc/io.rosetta.camel.cfg"
    sed -i "s/^sshPort.*/sshPort = $ssh/" "$home/etc/org.apache.karaf.shell.cfg"
    if [ -f "$home/etc/org.apache.karaf.management.cfg" ]; then
        sed -i "s/^rmiRegistryPort.*/rmiRegistryPort = $rmir/; s/^rmiServerPort.*/rmiServerPort = $rmis/" "$home/etc/org.apache.karaf.management.cfg"
    fi
    boot=$(start_until_ready "")
    wait_for 60 online
    # ready can come before the features service has recorded the boot features as installed ("Feature named
    # 'rosetta-binding-virtual/0' is not installed"): the uninstall is tried again until it is taken (not timed)
    wait_for 60 env ROSETTA_ADMIN_PASSWORD="$password" ROSETTA_SSH_PORT=$ssh "$home/bin/rosetta" feature:uninstall rosetta-binding-virtual \
        || { echo "run $run: feature:uninstall rosetta-binding-virtual not taken within 60 s" >&2; exit 1; }
    wait_for 60 offline
    start=$(now)
    ROSETTA_ADMIN_PASSWORD="$password" ROSETTA_SSH_PORT=$ssh "$home/bin/rosetta" feature:install rosetta-binding-virtual >/dev/null
    wait_for 60 online
    install=$(echo "$(now) - $start" | bc)
    stop_server
    restart=$(start_until_ready " after the restart")
    printf '%s,%.2f,%.2f,%.2f\n' "$run" "$boot" "$install" "$restart"
    stop_server
    rm -rf "$dir"
    dir="" home=""
done
