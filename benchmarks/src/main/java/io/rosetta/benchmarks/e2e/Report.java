package io.rosetta.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The Markdown summary of a run's {@code steps.csv} and {@code soak.csv}: Rosetta against the ceiling, load by load. */
final class Report {

    private Report() {
    }

    /** Rows of a CSV file as maps, header → value. */
    static List<Map<String, String>> read(Path file) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length && i < v.length; i++) {
                row.put(header[i], v[i]);
            }
            out.add(row);
        }
        return out;
    }

    private static double d(Map<String, String> row, String key) {
        try {
            return row == null ? Double.NaN : Double.parseDouble(row.get(key));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String f(double v, String format) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
    }

    static String markdown(Path dir) throws IOException {
        List<Map<String, String>> steps = read(dir.resolve("steps.csv"));
        Map<String, String> lastLabel = new LinkedHashMap<>();
        steps.forEach(r -> lastLabel.put(r.get("mode"), r.get("label")));
        Map<String, Map<Double, Map<String, String>>> byMode = new LinkedHashMap<>();
        TreeSet<Double> loads = new TreeSet<>();
        for (Map<String, String> r : steps) {
            if (r.get("label").equals(lastLabel.get(r.get("mode")))) {
                byMode.computeIfAbsent(r.get("mode"), k -> new LinkedHashMap<>()).put(d(r, "offered_msg_s"), r);
                loads.add(d(r, "offered_msg_s"));
            }
        }
        Map<Double, Map<String, String>> ceiling = byMode.getOrDefault("ceiling", Map.of());
        Map<Double, Map<String, String>> rosetta = byMode.getOrDefault("rosetta", Map.of());
        StringBuilder b = new StringBuilder();
        b.append("| offered msg/s | ceiling: delivered msg/s | p50 / p99 ms | Rosetta: delivered msg/s | p50 / p99 ms | ratio | "
                + "Rosetta CPU s per 1k msgs | load average, steal time |\n|---|---|---|---|---|---|---|---|\n");
        for (double load : loads) {
            Map<String, String> c = ceiling.get(load);
            Map<String, String> r = rosetta.get(load);
            double ratio = d(r, "delivered_msg_s") / d(c, "delivered_msg_s");
            b.append(String.format(Locale.ROOT, "| %.0f | %s%s | %s / %s | %s%s | %s / %s | %s | %s | %s |\n", load,
                    f(d(c, "delivered_msg_s"), "%.0f"), notSustained(c),
                    f(d(c, "p50_ms"), "%.2f"), f(d(c, "p99_ms"), "%.2f"),
                    f(d(r, "delivered_msg_s"), "%.0f"), notSustained(r),
                    f(d(r, "p50_ms"), "%.2f"), f(d(r, "p99_ms"), "%.2f"), f(ratio, "%.2f"), f(d(r, "server_cpu_s_per_1k"), "%.3f"),
                    ServerProbe.machineColumn(r != null ? r : c)));
        }
        double maxC = maxSustained(ceiling);
        double maxR = maxSustained(rosetta);
        double peakC = ceiling.values().stream().mapToDouble(r -> d(r, "delivered_msg_s")).max().orElse(Double.NaN);
        double peakR = rosetta.values().stream().mapToDouble(r -> d(r, "delivered_msg_s")).max().orElse(Double.NaN);
        b.append(String.format(Locale.ROOT, "%nMax sustained offered load (every step up to it sustained): ceiling %s msg/s, Rosetta %s msg/s (ratio %s). "
                        + "Highest delivered rate: ceiling %s msg/s, Rosetta %s msg/s (ratio %s).%n",
                f(maxC, "%.0f"), f(maxR, "%.0f"), f(maxR / maxC, "%.2f"), f(peakC, "%.0f"), f(peakR, "%.0f"), f(peakR / peakC, "%.2f")));
        List<Map<String, String>> soak = read(dir.resolve("soak.csv"));
        String soakLabel = lastLabel.get("rosetta");
        List<Map<String, String>> mine = soak.stream().filter(r -> r.get("label").equals(soakLabel)).toList();
        if (!mine.isEmpty()) {
            b.append("\nHeap after GC of the server: ");
            List<String> points = new ArrayList<>();
            for (Map<String, String> r : mine) {
                points.add(String.format(Locale.ROOT, "%s s: %s MB", r.get("t_s"), r.get("heap_after_gc_mb")));
            }
            b.append(String.join(", ", points)).append(".\n");
            List<Map<String, String>> running = mine.stream().filter(r -> d(r, "t_s") > 0).toList();
            if (running.size() >= 2) {
                b.append(String.format(Locale.ROOT, "Soak at %s msg/s: p99 %s–%s ms, heap after GC %s → %s MB (slope %s MB/min).%n",
                        running.get(0).get("offered_msg_s"),
                        f(running.stream().mapToDouble(r -> d(r, "p99_ms")).min().orElse(Double.NaN), "%.2f"),
                        f(running.stream().mapToDouble(r -> d(r, "p99_ms")).max().orElse(Double.NaN), "%.2f"),
                        running.get(0).get("heap_after_gc_mb"), running.get(running.size() - 1).get("heap_after_gc_mb"),
                        f(slopePerMinute(running), "%.2f")));
            }
        }
        return b.toString();
    }

    private static String notSustained(Map<String, String> row) {
        if (row == null || "true".equals(row.get("sustained"))) {
            return "";
        }
        return "generator".equals(row.get("failed_by")) ? " (simulator short)" : " (not sustained)";
    }

    /** The highest offered load below which every step was sustained. */
    static double maxSustained(Map<Double, Map<String, String>> rows) {
        double max = Double.NaN;
        for (double load : new TreeSet<>(rows.keySet())) {
            if (!"true".equals(rows.get(load).get("sustained"))) {
                break;
            }
            max = load;
        }
        return max;
    }

    /** Least-squares slope of the heap after GC over time, in MB per minute. */
    static double slopePerMinute(List<Map<String, String>> rows) {
        double n = rows.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Map<String, String> r : rows) {
            double x = d(r, "t_s") / 60;
            double y = d(r, "heap_after_gc_mb");
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }
}
