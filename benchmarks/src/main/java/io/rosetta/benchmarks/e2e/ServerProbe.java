package io.rosetta.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads about the processes it measures, from outside: CPU time from
 * {@code /proc/<pid>/stat}, the heap after a full collection from {@code jcmd} (the live set, not what
 * the collector happens to hold), the machine's load average, and the share of its CPU time that the hypervisor gave to
 * other guests (steal time: on a shared virtual machine, what makes two runs of the same build differ).
 */
public final class ServerProbe {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private ServerProbe() {
    }

    /** CPU seconds (user + system) the process has used, or NaN when it cannot be read. */
    public static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds (user + system) of the JVM's JIT compiler threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}) of
     * {@code pid}; 0 for a process that has none (Node.js compiles on threads that cannot be told apart), NaN when unreadable.
     */
    public static double compilerCpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        ticks += ticks(Files.readString(t.resolve("stat")));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
            return ticks / TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The one-minute load average. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The machine's CPU time so far, in clock ticks summed over its CPUs, from the first line of {@code /proc/stat}: all of
     * it ({@code user nice system idle iowait irq softirq steal}) and the part stolen by the hypervisor.
     */
    public record MachineTicks(long total, long steal) {

        /** Now; zeros when {@code /proc/stat} cannot be read. */
        public static MachineTicks now() {
            try (var lines = Files.lines(Path.of("/proc/stat"))) {
                return parse(lines.findFirst().orElse(""));
            } catch (IOException | RuntimeException e) {
                return new MachineTicks(0, 0);
            }
        }

        /** From the {@code cpu} line of {@code /proc/stat}; zeros for anything else. */
        static MachineTicks parse(String cpuLine) {
            String[] f = cpuLine.trim().split("\\s+");
            if (f.length < 9 || !f[0].equals("cpu")) {
                return new MachineTicks(0, 0);
            }
            long total = 0;
            for (int k = 1; k <= 8; k++) { // guest time is already counted in user time
                total += Long.parseLong(f[k]);
            }
            return new MachineTicks(total, Long.parseLong(f[8]));
        }

        /** Percent of the machine's CPU time from {@code earlier} to this reading that was stolen; NaN when unknown. */
        public double stealPercentSince(MachineTicks earlier) {
            long total = this.total - earlier.total;
            return total <= 0 ? Double.NaN : 100.0 * (steal - earlier.steal) / total;
        }
    }

    /**
     * A measured step's machine for a report's table, from its {@code steps.csv} row: the load average at its start and end
     * and, when recorded, the steal time over it ({@code "0.65–0.27, steal 0.4 %"}); {@code "–"} for no row.
     */
    public static String machineColumn(Map<String, String> row) {
        if (row == null) {
            return "–";
        }
        String load = row.get("load1_start") + "–" + row.get("load1_end");
        String steal = row.get("steal_percent");
        return steal == null || steal.isEmpty() || steal.equals("NaN") ? load : load + ", steal " + steal + " %";
    }

    /** Heap in use right after a full collection of the JVM {@code pid} (MB), or NaN when {@code jcmd} cannot tell. */
    public static double heapAfterGcMb(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = USED.matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
