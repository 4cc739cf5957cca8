package io.rosetta.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.testing.MosquittoProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client comparison, short, against a real Mosquitto the test starts on a free port. */
class ClientReceiveCostTest {

    @TempDir
    Path dir;

    @Test
    void bothClientsReceiveTheSameStreamAndTheirThreadsCpuIsCounted() throws Exception {
        try (MosquittoProcess broker = new MosquittoProcess(dir, MosquittoProcess.ANONYMOUS_DEEP_QUEUES)) {
            broker.start();
            MqttEndToEnd.Options o = new MqttEndToEnd.Options("run", Map.of("broker", broker.url(), "devices", "70",
                    "rate", "300", "warmup", "1s", "seconds", "2s", "settle", "0s"));
            ByteArrayOutputStream log = new ByteArrayOutputStream();

            ClientReceiveCost.Result r = ClientReceiveCost.measure(o, new PrintStream(log, true, StandardCharsets.UTF_8));

            assertThat(log.toString(StandardCharsets.UTF_8)).contains("70 devices", "300 msg/s offered");
            assertThat(r.seconds()).isGreaterThanOrEqualTo(2.0);
            assertThat(r.pahoMessages()).as("Paho received").isGreaterThan(300);
            // the same stream, both at QoS 0 on one broker: the windows differ by what is in flight at their edges
            assertThat((double) r.vertxMessages()).as("Vert.x received").isBetween(0.9 * r.pahoMessages(), 1.1 * r.pahoMessages());
            assertThat(r.pahoCpuSeconds()).isPositive();
            assertThat(r.vertxCpuSeconds()).isPositive();
            assertThat(r.vertxToPaho()).isPositive().isFinite();
        }
    }
}
