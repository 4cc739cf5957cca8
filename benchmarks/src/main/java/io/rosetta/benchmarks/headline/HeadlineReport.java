package io.rosetta.benchmarks.headline;

import io.rosetta.benchmarks.e2e.ServerProbe;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * The report of a headline run ({@code benchmarks/scripts/headline.sh}): reads the CSV files of the run's
 * folder and writes {@code report.md} (every scenario as a ratio to its same-run baseline, against the
 * targets) and {@code plot.png} (delivered rate and p99 latency against offered load).
 */
public final class HeadlineReport {

    private HeadlineReport() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "benchmarks/target/headline");
        String md = markdown(dir);
        Files.writeString(dir.resolve("report.md"), md);
        plot(dir, dir.resolve("plot.png"));
        System.out.print(md);
    }

    /** Steps of one mode from a steps.csv, the last run (label) only, by offered load. */
    static TreeMap<Double, Map<String, String>> steps(Path file, String mode) throws IOException {
        List<Map<String, String>> rows = Csv.read(file).stream().filter(r -> mode.equals(r.get("mode"))).toList();
        TreeMap<Double, Map<String, String>> out = new TreeMap<>();
        if (rows.isEmpty()) {
            return out;
        }
        String label = rows.get(rows.size() - 1).get("label");
        for (Map<String, String> r : rows) {
            if (label.equals(r.get("label"))) {
                out.put(Csv.d(r, "offered_msg_s"), r);
            }
        }
        return out;
    }

    /** Steps of one mode from a steps.csv, the last run (label) only, in the order they ran. */
    static List<Map<String, String>> inOrder(Path file, String mode) throws IOException {
        List<Map<String, String>> rows = Csv.read(file).stream().filter(r -> mode.equals(r.get("mode"))).toList();
        if (rows.isEmpty()) {
            return rows;
        }
        String label = rows.get(rows.size() - 1).get("label");
        return rows.stream().filter(r -> label.equals(r.get("label"))).toList();
    }

    /** The highest offered load up to which every step was sustained (NaN when the first was not). */
    static double maxSustained(TreeMap<Double, Map<String, String>> rows) {
        double max = Double.NaN;
        for (Map.Entry<Double, Map<String, String>> e : rows.entrySet()) {
            if (!"true".equals(e.getValue().get("sustained"))) {
                break;
            }
            max = e.getKey();
        }
        return max;
    }

    static double maxDelivered(TreeMap<Double, Map<String, String>> rows) {
        return rows.values().stream().mapToDouble(r -> Csv.d(r, "delivered_msg_s")).max().orElse(Double.NaN);
    }

    static Properties props(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            p.load(new StringReader(Files.readString(file)));
        }
        return p;
    }

    /** Server CPU s/1k, with the JIT compiler threads' share in brackets where the row has it. */
    static String cpuWithJit(Map<String, String> r) {
        double jit = Csv.d(r, "server_jit_cpu_s_per_1k");
        return f(Csv.d(r, "server_cpu_s_per_1k"), "%.3f") + (Double.isNaN(jit) ? "" : String.format(Locale.ROOT, " (JIT %.3f)", jit));
    }

    static String f(double v, String format) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, format, v);
    }

    /** "met", or by how much it was missed. */
    static String verdict(double value, double target, boolean atLeast) {
        if (Double.isNaN(value)) {
            return "not measured";
        }
        boolean met = atLeast ? value >= target : value <= target;
        return met ? "met" : String.format(Locale.ROOT, "missed (%.2f× the target)", value / target);
    }

    /** The row at the offered load nearest to {@code load}. */
    static Map<String, String> at(TreeMap<Double, Map<String, String>> rows, double load) {
        Map.Entry<Double, Map<String, String>> e = rows.floorEntry(load);
        return e == null || e.getKey() != load ? null : e.getValue();
    }

    static String markdown(Path dir) throws IOException {
        Properties run = props(dir.resolve("run.properties"));
        StringBuilder b = new StringBuilder("# Headline benchmarks\n\n");
        b.append(String.format("Run %s, %s s; machine: %s (%s); load average at start %s, at end %s; CPU time stolen by the hypervisor "
                + "over the run %s %%.%n%s%n%n", run.getProperty("started", "?"),
                run.getProperty("seconds", "?"), run.getProperty("machine", "?"), run.getProperty("cpu", "?"),
                run.getProperty("load_start", "?"), run.getProperty("load_end", "?"), run.getProperty("steal_percent", "?"),
                run.getProperty("options", "")));
        List<String[]> targets = new ArrayList<>();

        // ---- 1
        TreeMap<Double, Map<String, String>> ceiling = steps(dir.resolve("s1/steps.csv"), "ceiling");
        TreeMap<Double, Map<String, String>> rosetta = steps(dir.resolve("s1/steps.csv"), "rosetta");
        TreeMap<Double, Map<String, String>> nodeRed = steps(dir.resolve("s2/steps.csv"), "node-red");
        if (!ceiling.isEmpty() || !rosetta.isEmpty() || !nodeRed.isEmpty()) {
            b.append("## 1–2. MQTT ingest: Rosetta, the bare-subscriber ceiling, Node-RED\n\n");
            b.append("| offered msg/s | ceiling msg/s | ceiling p50 / p99 ms | Rosetta msg/s | Rosetta p50 / p99 ms | Rosetta ÷ ceiling "
                    + "| Rosetta CPU s/1k | Node-RED msg/s | Node-RED p50 / p99 ms | Node-RED CPU s/1k | load average, steal time |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            java.util.TreeSet<Double> loads = new java.util.TreeSet<>(ceiling.keySet());
            loads.addAll(rosetta.keySet());
            loads.addAll(nodeRed.keySet());
            for (double load : loads) {
                Map<String, String> c = ceiling.get(load);
                Map<String, String> r = rosetta.get(load);
                Map<String, String> n = nodeRed.get(load);
                b.append(String.format(Locale.ROOT, "| %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", load, rate(c), lat(c), rate(r), lat(r),
                        f(Csv.d(r, "delivered_msg_s") / Csv.d(c, "delivered_msg_s"), "%.2f"), cpuWithJit(r),
                        rate(n), lat(n), f(Csv.d(n, "server_cpu_s_per_1k"), "%.3f"),
                        ServerProbe.machineColumn(r != null ? r : c != null ? c : n)));
            }
            b.append("\n(*) not sustained: less than 95 % of the offer published, less than 97 % delivered, more than 0.5 % lost, or p99 ≥ 1 s. "
                    + "Rosetta's CPU includes its JVM's JIT compiler threads (their share in brackets); Node.js compiles on threads "
                    + "that cannot be told apart, so Node-RED's includes its compiler too.\n\n");
            double mc = maxSustained(ceiling);
            double mr = maxSustained(rosetta);
            double mn = maxSustained(nodeRed);
            b.append(String.format(Locale.ROOT, "Max sustained offered load: ceiling %s, Rosetta %s, Node-RED %s msg/s. "
                    + "Highest delivered: ceiling %s, Rosetta %s, Node-RED %s msg/s.%n%n", f(mc, "%.0f"), f(mr, "%.0f"), f(mn, "%.0f"),
                    f(maxDelivered(ceiling), "%.0f"), f(maxDelivered(rosetta), "%.0f"), f(maxDelivered(nodeRed), "%.0f")));
            Map<String, String> r5 = at(rosetta, 5000);
            double ratio = mr / mc;
            targets.add(new String[] {"1. Rosetta ÷ ceiling (max sustained)", "≥ 0.8", f(ratio, "%.2f"), verdict(ratio, 0.8, true)});
            targets.add(new String[] {"1. Rosetta p99 at 5 k msg/s", "≤ 10 ms", f(Csv.d(r5, "p99_ms"), "%.2f ms")
                    + (r5 != null && !"true".equals(r5.get("sustained")) ? " (not sustained)" : ""), verdict(Csv.d(r5, "p99_ms"), 10, false)});
            // the ceiling of scenario 3 (same broker configuration, higher loads) when it went further than scenario 1's
            double mc3 = maxSustained(steps(dir.resolve("s3/steps.csv"), "ceiling"));
            if (!Double.isNaN(mc3) && (Double.isNaN(mc) || mc3 > mc)) {
                targets.add(new String[] {"1. Rosetta ÷ the highest ceiling of the run (scenario 3's: " + f(mc3, "%.0f") + " msg/s)", "≥ 0.8",
                    f(mr / mc3, "%.2f"), verdict(mr / mc3, 0.8, true)});
            }
            double rn = mr / mn;
            targets.add(new String[] {"2. Rosetta ÷ Node-RED (max sustained)", "≥ 2.5", f(rn, "%.2f"), verdict(rn, 2.5, true)});
            // CPU per message at the highest load both sustained
            double common = Double.NaN;
            for (double load : rosetta.keySet()) {
                Map<String, String> r = rosetta.get(load);
                Map<String, String> n = nodeRed.get(load);
                if (n != null && "true".equals(r.get("sustained")) && "true".equals(n.get("sustained"))) {
                    common = load;
                }
            }
            if (!Double.isNaN(common)) {
                double cr = Csv.d(rosetta.get(common), "server_cpu_s_per_1k");
                double cn = Csv.d(nodeRed.get(common), "server_cpu_s_per_1k");
                targets.add(new String[] {String.format(Locale.ROOT, "2. CPU per message, Rosetta ÷ Node-RED at %.0f msg/s", common), "≤ 0.33",
                    f(cr / cn, "%.2f") + String.format(Locale.ROOT, " (%s vs %.3f CPU s/1k)", cpuWithJit(rosetta.get(common)), cn),
                    verdict(cr / cn, 1 / 3.0, false)});
                double pr = Csv.d(rosetta.get(common), "p99_ms");
                double pn = Csv.d(nodeRed.get(common), "p99_ms");
                b.append(String.format(Locale.ROOT, "At %.0f msg/s (the highest load both sustained): p99 Rosetta %.2f ms, Node-RED %.2f ms; "
                        + "CPU s per 1,000 messages Rosetta %.3f, Node-RED %.3f.%n%n", common, pr, pn, cr, cn));
            } else {
                targets.add(new String[] {"2. CPU per message, Rosetta ÷ Node-RED", "≤ 0.33", "–", "no load both sustained"});
            }
        }

        // ---- 3
        List<Map<String, String>> over = inOrder(dir.resolve("s3/steps.csv"), "rosetta");
        List<Map<String, String>> overCeiling = inOrder(dir.resolve("s3/steps.csv"), "ceiling");
        if (!over.isEmpty()) {
            Properties s3 = props(dir.resolve("s3.properties"));
            b.append("## 3. Overload and recovery\n\n");
            b.append(String.format("Offered loads as multiples of what Rosetta sustained in scenario 1 (%s msg/s).%n%n", s3.getProperty("base_msg_s", "?")));
            b.append("| offered msg/s | published msg/s | ceiling delivered msg/s | Rosetta delivered msg/s | delivered fraction | lost (shed) in step "
                    + "| p50 / p99 ms | CPU s/1k |\n|---|---|---|---|---|---|---|---|\n");
            for (int k = 0; k < over.size(); k++) {
                Map<String, String> r = over.get(k);
                Map<String, String> c = k < overCeiling.size() && overCeiling.get(k).get("offered_msg_s").equals(r.get("offered_msg_s"))
                        ? overCeiling.get(k) : null;
                b.append(String.format(Locale.ROOT, "| %.0f | %s | %s | %s | %s | %s | %s | %s |%n", Csv.d(r, "offered_msg_s"),
                        f(Csv.d(r, "published_msg_s"), "%.0f"), rate(c), rate(r), f(Csv.d(r, "delivered_fraction"), "%.3f"), r.get("lost"), lat(r),
                        f(Csv.d(r, "server_cpu_s_per_1k"), "%.3f")));
            }
            if (over.size() < overCeiling.size()) {
                b.append(String.format(Locale.ROOT, "%nThe Rosetta run stopped after %d of %d steps (two unsustained steps in a row).%n",
                        over.size(), overCeiling.size()));
            }
            List<Map<String, String>> rss = Csv.read(dir.resolve("s3/rss.csv"));
            double maxRss = rss.stream().mapToDouble(r -> Csv.d(r, "rss_mb")).max().orElse(Double.NaN);
            double lastRss = rss.isEmpty() ? Double.NaN : Csv.d(rss.get(rss.size() - 1), "rss_mb");
            List<Map<String, String>> soak = Csv.read(dir.resolve("s3/soak.csv")).stream().filter(r -> "rosetta".equals(r.get("mode"))).toList();
            List<String> heaps = new ArrayList<>();
            for (Map<String, String> r : soak) {
                heaps.add(r.get("t_s") + " s: " + r.get("heap_after_gc_mb") + " MB" + (Csv.d(r, "t_s") > 0
                        ? String.format(Locale.ROOT, " (%s delivered, p99 %s ms)", f(Csv.d(r, "delivered_fraction"), "%.3f"), f(Csv.d(r, "p99_ms"), "%.1f")) : ""));
            }
            b.append(String.format(Locale.ROOT, "%nServer RSS (sampled every second, %d samples): max %s MB, at the end %s MB. "
                    + "OutOfMemoryError in the server log: %s. Log lines about shedding (queue full / OVERLOADED): %s.%n",
                    rss.size(), f(maxRss, "%.0f"), f(lastRss, "%.0f"), s3.getProperty("oom", "?"), s3.getProperty("overloaded_log_lines", "?")));
            b.append("Recovery at half the sustained load, heap after a full GC (t = 0 is right after priming, before the overload): ")
                    .append(heaps.isEmpty() ? "–" : String.join("; ", heaps)).append(".\n\n");
            boolean recovered = !soak.isEmpty() && soak.stream().filter(r -> Csv.d(r, "t_s") > 0).reduce((a, c) -> c)
                    .map(r -> Csv.d(r, "delivered_fraction") >= 0.97).orElse(false);
            targets.add(new String[] {"3. no OutOfMemoryError, bounded memory, recovery", "0 OOM, recovery ≥ 97 % delivered",
                "OOM " + s3.getProperty("oom", "?") + ", RSS max " + f(maxRss, "%.0f") + " MB", "0".equals(s3.getProperty("oom")) && recovered ? "met" : "see above"});
        }

        // ---- 4
        List<Map<String, String>> tw = Csv.read(dir.resolve("twins.csv"));
        if (!tw.isEmpty()) {
            Map<String, Map<String, String>> byPhase = new LinkedHashMap<>();
            tw.forEach(r -> byPhase.put(r.get("phase"), r));
            Map<String, String> create = byPhase.get("create");
            Map<String, String> restart = byPhase.get("restart");
            b.append("## 4. Twin footprint and restart\n\n| phase | twins | seconds | heap after GC MB | bytes per twin | on disk MB |\n|---|---|---|---|---|---|\n");
            for (Map<String, String> r : tw) {
                b.append(String.format("| %s | %s | %s | %s | %s | %s |%n", r.get("phase"), r.get("twins"), r.get("seconds"), r.get("heap_after_gc_mb"),
                        r.get("bytes_per_twin"), r.get("disk_mb")));
            }
            b.append("\nThe restart rebuilds the registry from the snapshot and the journal tail written after it (the write phase ends "
                    + "with a halt, as a kill -9 would). Baseline: the same twins created in the same registry.\n\n");
            double bytes = Csv.d(create, "bytes_per_twin");
            targets.add(new String[] {"4. bytes per twin, journaled registry (" + (create == null ? "?" : create.get("twins")) + " twins created)", "≤ 1536",
                f(bytes, "%.0f"), verdict(bytes, 1536, false)});
            Map<String, String> fp = byPhase.get("footprint-in-memory");
            if (fp != null) {
                double fb = Csv.d(fp, "bytes_per_twin");
                targets.add(new String[] {"4. bytes per twin, Footprint benchmark (" + fp.get("twins") + " twins parsed from JSON)", "≤ 1536",
                    f(fb, "%.0f"), verdict(fb, 1536, false)});
            }
            double rb = Csv.d(restart, "bytes_per_twin");
            targets.add(new String[] {"4. bytes per twin after the restart", "≤ 1536", f(rb, "%.0f"), verdict(rb, 1536, false)});
            double rs = Csv.d(restart, "seconds");
            targets.add(new String[] {"4. restart with the twins on disk", "≤ 20 s", f(rs, "%.1f s"), verdict(rs, 20, false)});
        }

        // ---- 5
        List<Map<String, String>> boot = Csv.read(dir.resolve("boot.csv"));
        if (!boot.isEmpty()) {
            double bs = boot.stream().mapToDouble(r -> Csv.d(r, "boot_to_ready_s")).min().orElse(Double.NaN);
            double is = boot.stream().mapToDouble(r -> Csv.d(r, "feature_install_s")).min().orElse(Double.NaN);
            // a boot.csv of an older boot.sh has no restart column
            double rs = boot.stream().mapToDouble(r -> Csv.d(r, "restart_to_ready_s")).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
            String restarted = Double.isNaN(rs) ? "" : ", restart to ready " + f(rs, "%.2f") + " s (the same copy started again)";
            b.append(String.format(Locale.ROOT, "## 5. Boot and feature:install%n%nBoot to ready %s s (first start of a fresh copy)%s, "
                            + "feature:install of a binding %s s (%d run%s).%n%n",
                    f(bs, "%.2f"), restarted, f(is, "%.2f"), boot.size(), boot.size() == 1 ? "" : "s, best"));
            targets.add(new String[] {"5. boot to ready, first start", "≤ 8 s", f(bs, "%.2f s"), verdict(bs, 8, false)});
            if (!Double.isNaN(rs)) {
                targets.add(new String[] {"5. boot to ready, restart", "≤ 8 s", f(rs, "%.2f s"), verdict(rs, 8, false)});
            }
            targets.add(new String[] {"5. feature:install of a binding", "≤ 3 s", f(is, "%.2f s"), verdict(is, 3, false)});
        }

        StringBuilder t = new StringBuilder("## Against the targets\n\n| scenario | target | measured | |\n|---|---|---|---|\n");
        for (String[] row : targets) {
            t.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        int at = b.indexOf("\n\n", b.indexOf("Run ")) + 2;
        b.insert(at, t.append('\n'));
        return b.toString();
    }

    private static String rate(Map<String, String> r) {
        if (r == null) {
            return "–";
        }
        return f(Csv.d(r, "delivered_msg_s"), "%.0f") + ("true".equals(r.get("sustained")) ? "" : " (*)");
    }

    private static String lat(Map<String, String> r) {
        return r == null ? "–" : f(Csv.d(r, "p50_ms"), "%.2f") + " / " + f(Csv.d(r, "p99_ms"), "%.2f");
    }

    // ---- the plot ---------------------------------------------------------------------------

    /** Delivered msg/s (left) and p99 ms, log scale (right), against offered msg/s, for the ceiling, Rosetta and Node-RED. */
    static void plot(Path dir, Path png) throws IOException {
        Map<String, TreeMap<Double, Map<String, String>>> series = new LinkedHashMap<>();
        series.put("ceiling (bare Paho)", steps(dir.resolve("s1/steps.csv"), "ceiling"));
        series.put("Rosetta", steps(dir.resolve("s1/steps.csv"), "rosetta"));
        series.put("Node-RED", steps(dir.resolve("s2/steps.csv"), "node-red"));
        series.values().removeIf(TreeMap::isEmpty);
        if (series.isEmpty()) {
            return;
        }
        Color[] colors = {new Color(0x555555), new Color(0x1f77b4), new Color(0xd62728)};
        int w = 1200;
        int h = 480;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double maxX = series.values().stream().mapToDouble(TreeMap::lastKey).max().orElse(1) * 1.05;
        double maxY = Math.max(maxX, series.values().stream().mapToDouble(HeadlineReport::maxDelivered).max().orElse(1)) * 1.05;
        double maxLat = series.values().stream().flatMap(m -> m.values().stream()).mapToDouble(r -> Csv.d(r, "p99_ms"))
                .filter(v -> !Double.isNaN(v)).max().orElse(10);
        double logMax = Math.ceil(Math.log10(Math.max(10, maxLat)));
        panel(g, 0, "delivered msg/s vs offered msg/s", maxX, maxY, false, 0, series, colors, "delivered_msg_s");
        panel(g, w / 2, "p99 latency ms (log) vs offered msg/s", maxX, logMax, true, -1, series, colors, "p99_ms");
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int x0, String title, double maxX, double maxY, boolean log, double minLog,
                              Map<String, TreeMap<Double, Map<String, String>>> series, Color[] colors, String column) {
        int left = x0 + 70;
        int right = x0 + 580;
        int top = 40;
        int bottom = 420;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            double v = log ? Math.pow(10, minLog + (maxY - minLog) * i / 5) : maxY * i / 5;
            g.drawString(v >= 100 || !log ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v), x0 + 5, y + 4);
            int x = left + (right - left) * i / 5;
            g.drawString(String.format(Locale.ROOT, "%.0f", maxX * i / 5), x - 10, bottom + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, right - left, bottom - top);
        int k = 0;
        for (Map.Entry<String, TreeMap<Double, Map<String, String>>> s : series.entrySet()) {
            g.setColor(colors[k % colors.length]);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (Map.Entry<Double, Map<String, String>> p : s.getValue().entrySet()) {
                double v = Csv.d(p.getValue(), column);
                if (Double.isNaN(v)) {
                    continue;
                }
                double yv = log ? (Math.log10(Math.max(v, 0.1)) - minLog) / (maxY - minLog) : v / maxY;
                int x = left + (int) ((right - left) * p.getKey() / maxX);
                int y = bottom - (int) ((bottom - top) * Math.max(0, Math.min(1, yv)));
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                if ("true".equals(p.getValue().get("sustained"))) {
                    g.fillOval(x - 4, y - 4, 8, 8);
                } else {
                    g.drawOval(x - 4, y - 4, 8, 8);
                }
                px = x;
                py = y;
            }
            g.drawString(s.getKey(), left + 10, top + 15 + 15 * k);
            k++;
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawString("filled: sustained, open: not sustained", left + 300, bottom - 8);
    }
}
