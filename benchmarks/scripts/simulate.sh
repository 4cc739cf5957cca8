#!/usr/bin/env bash
#
# The device simulator: a mixed fleet (Zigbee2MQTT, Tasmota, Shelly Gen2, Homie, Home Assistant discovery,
# generic JSON, Sparkplug B) publishing realistic payloads to an MQTT broker at a given total rate.
#
#   benchmarks/scripts/simulate.sh --broker tcp://127.0.0.1:1883 --devices 200 --rate 500 --connections 4 \
#       --dialects all --qos 0 --duration 60s
#
# --help lists every option. Needs benchmarks/target/benchmarks.jar (mvn -B install -DskipTests, or
# mvn -B -pl benchmarks -am package -DskipTests).
set -euo pipefail

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$top/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
    echo "simulate.sh: $jar is missing; build it first: mvn -B -pl benchmarks -am package -DskipTests" >&2
    exit 2
fi
exec java ${SIMULATOR_JAVA_OPTS:--Xms256m -Xmx1g} -cp "$jar" io.rosetta.benchmarks.simulator.Simulator "$@"
