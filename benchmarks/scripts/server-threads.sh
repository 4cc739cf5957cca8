#!/usr/bin/env bash
#
# Where a server's CPU goes, by thread: CPU ticks (utime + stime, 1/100 s) and context switches of each thread of a
# process over a window, summed by thread name (numbers at the end of a name dropped, so a pool is one row).
#
#   benchmarks/scripts/server-threads.sh PID SECONDS
#
# Read from /proc/<pid>/task/*/stat and status at the start and the end of the window; threads that started or ended
# within it are left out. Used for the per-thread figures in docs/BENCHMARKS.md ("Fewer threads per message").
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2; }
pid=$1 secs=$2
[ -d "/proc/$pid" ] || { echo "server-threads.sh: no process $pid" >&2; exit 2; }

snapshot() { # tid:name name ticks voluntary involuntary, one line a thread (a reused tid is another thread)
    for t in /proc/"$pid"/task/*; do
        {
            name=$(tr ' ' '_' < "$t/comm")
            ticks=$(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')
            switches=$(awk '/^voluntary_ctxt_switches/ {v=$2} /^nonvoluntary_ctxt_switches/ {n=$2} END {print v, n}' "$t/status")
            echo "${t##*/}:$name $name $ticks $switches"
        } 2>/dev/null || true   # a thread that ended meanwhile
    done | sort
}

before=$(snapshot)
sleep "$secs"
after=$(snapshot)
join <(echo "$before") <(echo "$after") | awk -v secs="$secs" '
    { name = $2; sub(/[0-9]+$/, "", name); sub(/[-#_]$/, "", name)
      ticks[name] += $7 - $3; vol[name] += $8 - $4; invol[name] += $9 - $5
      total += $7 - $3; totalVol += $8 - $4 }
    END {
      printf "%-28s %8s %8s %12s %12s\n", "thread", "ticks", "cores", "voluntary", "involuntary"
      for (n in ticks) if (ticks[n] > 0 || vol[n] > 100)
        printf "%-28s %8d %8.3f %12d %12d\n", n, ticks[n], ticks[n] / 100 / secs, vol[n], invol[n] | "sort -k2 -n -r"
      close("sort -k2 -n -r")
      printf "%-28s %8d %8.3f %12d\n", "all", total, total / 100 / secs, totalVol
    }'
