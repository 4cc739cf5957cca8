package io.rosetta.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.testing.MosquittoProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's ceiling mode, short, against a real Mosquitto the test starts on a free port. */
class CeilingRunTest {

    @TempDir
    Path dir;

    @Test
    void measuresEveryLoadAndWritesTheSteps() throws Exception {
        try (MosquittoProcess broker = new MosquittoProcess(dir, MosquittoProcess.ANONYMOUS_DEEP_QUEUES)) {
            broker.start();
            MqttEndToEnd.Options o = new MqttEndToEnd.Options("ceiling", Map.of("broker", broker.url(), "devices", "70",
                    "loads", "200,400", "warmup", "1s", "step", "2s", "prime-min", "1s", "settle", "0s", "label", "test"));

            int failed = MqttEndToEnd.run(o, dir);

            assertThat(failed).isZero();
            List<Map<String, String>> rows = Report.read(dir.resolve("steps.csv"));
            assertThat(rows).hasSize(2);
            assertThat(rows).extracting(r -> r.get("offered_msg_s")).containsExactly("200", "400");
            for (Map<String, String> r : rows) {
                assertThat(Double.parseDouble(r.get("delivered_fraction"))).isGreaterThan(0.9);
                assertThat(Double.parseDouble(r.get("published_msg_s"))).isGreaterThan(0.5 * Double.parseDouble(r.get("offered_msg_s")));
                assertThat(Double.parseDouble(r.get("p50_ms"))).isPositive();
            }
        }
    }
}
