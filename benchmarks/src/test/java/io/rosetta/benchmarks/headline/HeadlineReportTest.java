package io.rosetta.benchmarks.headline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlineReportTest {

    private static final String HEADER = NodeRedEndToEnd.STEPS_HEADER + "\n";

    private static String row(String mode, int offered, double delivered, double p99, double cpu, boolean sustained) {
        return String.format(java.util.Locale.ROOT, "%s,run-1,%d,%d,%.1f,1.0,0.5,1.0,%.2f,%.2f,0,%.3f,0.01,1.00,1.10,%s%n", mode, offered, offered,
                delivered, p99, p99 * 2, cpu, sustained);
    }

    @Test
    void ratiosAgainstTheSameRunBaselinesAndTheTargets(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("s1"));
        Files.createDirectories(dir.resolve("s2"));
        Files.writeString(dir.resolve("s1/steps.csv"), HEADER
                + row("ceiling", 1000, 1000, 0.5, 0.01, true) + row("ceiling", 5000, 5000, 0.9, 0.01, true) + row("ceiling", 10000, 10000, 1.2, 0.01, true)
                + row("rosetta", 1000, 1000, 4, 0.2, true) + row("rosetta", 5000, 5000, 12, 0.06, true) + row("rosetta", 10000, 6000, 900, 0.05, false));
        Files.writeString(dir.resolve("s2/steps.csv"), HEADER
                + row("node-red", 1000, 1000, 8, 0.15, true) + row("node-red", 5000, 4000, 2000, 0.09, false));
        Files.writeString(dir.resolve("twins.csv"), "phase,twins,seconds,heap_after_gc_mb,bytes_per_twin,disk_mb\n"
                + "create,1000000,30.0,900.0,900,1200\nrestart,1000000,25.0,1100.0,1100,1200\n");
        Files.writeString(dir.resolve("boot.csv"), "run,boot_to_ready_s,feature_install_s,restart_to_ready_s\n1,7.50,3.40,8.20\n");
        Files.writeString(dir.resolve("run.properties"), "started=2026-11-27T02:32:19Z\nload_start=0.2 0.4 0.3\nload_end=2.1 2.5 1.6\n"
                + "steal_percent=3.5\nseconds=875\n");

        String md = HeadlineReport.markdown(dir);

        assertThat(md).contains("Run 2026-11-27T02:32:19Z, 875 s;").contains("load average at start 0.2 0.4 0.3, at end 2.1 2.5 1.6; "
                + "CPU time stolen by the hypervisor over the run 3.5 %.");
        // rows without a steal column (written before it existed) show the load average alone
        assertThat(md).contains("| 0.150 | 1.00–1.10 |");

        assertThat(md).contains("| 1. Rosetta ÷ ceiling (max sustained) | ≥ 0.8 | 0.50 | missed (0.63× the target) |");
        assertThat(md).contains("| 1. Rosetta p99 at 5 k msg/s | ≤ 10 ms | 12.00 ms | missed (1.20× the target) |");
        assertThat(md).contains("| 2. Rosetta ÷ Node-RED (max sustained) | ≥ 2.5 | 5.00 | met |");
        // the highest load both sustained is 1000 msg/s: 0.2 ÷ 0.15
        assertThat(md).contains("| 2. CPU per message, Rosetta ÷ Node-RED at 1000 msg/s | ≤ 0.33 | 1.33");
        assertThat(md).contains("| 4. restart with the twins on disk | ≤ 20 s | 25.0 s | missed (1.25× the target) |");
        assertThat(md).contains("| 5. boot to ready, first start | ≤ 8 s | 7.50 s | met |");
        assertThat(md).contains("| 5. boot to ready, restart | ≤ 8 s | 8.20 s | missed (1.03× the target) |");
        assertThat(md).contains("| 5. feature:install of a binding | ≤ 3 s | 3.40 s | missed (1.13× the target) |");
        assertThat(md).contains("| 10000 | 10000 | 0.50 / 1.20 | 6000 (*) | 0.50 / 900.00 | 0.60 |");

        HeadlineReport.plot(dir, dir.resolve("plot.png"));
        assertThat(ImageIO.read(dir.resolve("plot.png").toFile()).getWidth()).isEqualTo(1200);
    }

    @Test
    void aBootFileWithoutTheRestartColumnReportsTheFirstStartOnly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("boot.csv"), "run,boot_to_ready_s,feature_install_s\n1,9.10,2.00\n");

        String md = HeadlineReport.markdown(dir);

        assertThat(md).contains("| 5. boot to ready, first start | ≤ 8 s | 9.10 s | missed (1.14× the target) |")
                .doesNotContain("5. boot to ready, restart");
    }

    @Test
    void aRunWithoutFiguresSaysSoInsteadOfFailing(@TempDir Path dir) throws Exception {
        String md = HeadlineReport.markdown(dir);
        assertThat(md).startsWith("# Headline benchmarks").doesNotContain("## 1–2.");
        HeadlineReport.plot(dir, dir.resolve("plot.png"));
        assertThat(dir.resolve("plot.png")).doesNotExist();
    }
}
