package io.rosetta.binding.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rosetta.binding.mqtt.internal.config.BrokerConfig;
import io.rosetta.core.testing.MosquittoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket factory of a broker connection: buffered plain TCP, TLS and WebSocket left as configured. */
class PahoSessionSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static PahoSession session(String url, String qos) {
        BrokerConfig config = BrokerConfig.from(Map.of("name", "socket-test", "url", url, "qos", qos, "cleanSession", "true"));
        return new PahoSession(config, null, List::of, (topic, payload, q, ack) -> ack.run(), e -> { });
    }

    @Test
    void plainTcpReadsThroughTheBufferedFactoryAndTlsAndWebSocketKeepTheirs() throws Exception {
        assertThat(session("tcp://127.0.0.1:1883", "1").options().getSocketFactory()).isInstanceOf(BufferedSocketFactory.class);
        assertThat(session("TCP://broker.example:1883", "1").options().getSocketFactory()).isInstanceOf(BufferedSocketFactory.class);
        // no trust or key store: Paho's defaults (the JVM's TLS socket factory for ssl://, its plain one for ws://)
        assertThat(session("ssl://127.0.0.1:8883", "1").options().getSocketFactory()).isNull();
        assertThat(session("ws://127.0.0.1:8080", "1").options().getSocketFactory()).isNull();
        assertThat(session("wss://127.0.0.1:8443", "1").options().getSocketFactory()).isNull();
    }

    @Test
    void aBurstOfMessagesArrivesWholeAndInOrderOverTheBufferedSocket(@TempDir Path dir) throws Exception {
        assumeTrue(MosquittoProcess.available(), "mosquitto is installed");
        int count = 500;
        String topic = "burst/" + dir.getFileName();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (MosquittoProcess mosquitto = new MosquittoProcess(dir, List.of("allow_anonymous true", "max_queued_messages 10000"))) {
            mosquitto.start();
            List<String> received = new CopyOnWriteArrayList<>();
            BrokerConfig config = BrokerConfig.from(Map.of("name", "burst", "url", mosquitto.url(), "qos", "0", "cleanSession", "true"));
            PahoSession session = new PahoSession(config, scheduler, () -> List.of(topic),
                    (t, payload, qos, ack) -> {
                        received.add(new String(payload, StandardCharsets.UTF_8));
                        ack.run();
                    }, e -> { });
            MqttAsyncClient publisher = new MqttAsyncClient(mosquitto.url(), "burst-publisher", new MemoryPersistence());
            try {
                session.connect().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                MqttConnectOptions options = new MqttConnectOptions();
                options.setMaxInflight(count);
                publisher.connect(options).waitForCompletion(WAIT.toMillis());

                List<String> sent = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String payload = "{\"seq\":" + i + ",\"temperature\":21.5,\"humidity\":40}";
                    sent.add(payload);
                    publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
                }

                await().atMost(WAIT).until(() -> received.size() >= count);
                assertThat(received).containsExactlyElementsOf(sent);
            } finally {
                session.disconnect();
                if (publisher.isConnected()) {
                    publisher.disconnect().waitForCompletion(WAIT.toMillis());
                }
                publisher.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
