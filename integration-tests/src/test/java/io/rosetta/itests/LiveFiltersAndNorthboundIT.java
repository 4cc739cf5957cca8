package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * In the booted distribution: RQL filters on the live streams (the search's ThingFilters service bound into the API),
 * and the MQTT northbound switched on through its configuration, against the Mosquitto on 127.0.0.1:1883.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveFiltersAndNorthboundIT extends RosettaTestSupport {

    private static final Pattern TOKEN = Pattern.compile("rst_[A-Za-z0-9_-]+");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Before
    public void ready() {
        awaitReady();
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ADMIN + ":" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> put(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path)).header("Authorization", basic())
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10)).PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void sseStreamsOnlyTheChangesOfThingsThatMatchTheFilter() throws Exception {
        String filter = URLEncoder.encode("eq(attributes/room,\"kitchen\")", StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/2/things?namespaces=it.live&filter=" + filter))
                .header("Authorization", basic()).header("Accept", "text/event-stream").build();
        List<String> data = new CopyOnWriteArrayList<>();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http.send(request, HttpResponse.BodyHandlers.ofPublisher());
        assertThat(response.statusCode()).isEqualTo(200);
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        response.body().subscribe(new Flow.Subscriber<>() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> buffers) {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        byte c = b.get();
                        if (c == '\n') {
                            String text = line.toString(StandardCharsets.UTF_8);
                            if (text.startsWith("data: ")) {
                                data.add(text.substring(6));
                            }
                            line.reset();
                        } else {
                            line.write(c);
                        }
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        try {
            assertThat(put("/api/2/things/it.live:hall-lamp", "{\"attributes\":{\"room\":\"hall\"}}").statusCode()).isEqualTo(201);
            assertThat(put("/api/2/things/it.live:kitchen-lamp", "{\"attributes\":{\"room\":\"kitchen\"}}").statusCode()).isEqualTo(201);
            assertThat(put("/api/2/things/it.live:hall-lamp/attributes/level", "3").statusCode()).isEqualTo(201);
            assertThat(put("/api/2/things/it.live:kitchen-lamp/attributes/level", "4").statusCode()).isEqualTo(201);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> data.size() >= 2);
            assertThat(data).hasSize(2).allSatisfy(d -> assertThat(d).contains("\"thingId\":\"it.live:kitchen-lamp\""));
            assertThat(data.get(1)).contains("\"level\":4");
        } finally {
            subscription[0].cancel();
        }

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/api/2/things?filter="
                        + URLEncoder.encode("eq(attributes/room", StandardCharsets.UTF_8))).header("Authorization", basic())
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("things:filter.invalid");
    }

    @Test
    public void theNorthboundPublishesEventsAndExecutesCommandsWithAToken() throws Exception {
        String output = executeCommand("rosetta:token create it-northbound");
        Matcher m = TOKEN.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        String token = m.group();
        executeCommand("rosetta:grant token:it-northbound it.mqtt WRITE");
        assertThat(put("/api/2/things/it.mqtt:lamp", "{\"features\":{\"light\":{\"properties\":{\"on\":false}}}}").statusCode()).isEqualTo(201);

        String prefix = "rosetta-it-" + UUID.randomUUID();
        List<String[]> received = new CopyOnWriteArrayList<>();
        MqttClient app = new MqttClient("tcp://127.0.0.1:1883", "it-app-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        app.connect(options);
        try {
            app.subscribe(prefix + "/#", 1, (topic, message) -> received.add(new String[] {topic, new String(message.getPayload(), StandardCharsets.UTF_8)}));
            Dictionary<String, Object> config = new Hashtable<>();
            config.put("enabled", "true");
            config.put("url", "tcp://127.0.0.1:1883");
            config.put("client.id", "rosetta-" + UUID.randomUUID());
            config.put("topic.prefix", prefix);
            configurationAdmin.getConfiguration("io.rosetta.northbound.mqtt", null).update(config);

            String command = "{\"topic\":\"it.mqtt/lamp/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"it-1\","
                    + "\"authorization\":\"Bearer " + token + "\"},\"path\":\"/features/light/properties/on\",\"value\":true}";
            // the northbound connects in the background: send until it answers
            String[] response = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                app.publish(prefix + "/commands/it-app", command.getBytes(StandardCharsets.UTF_8), 1, false);
                return received.stream().filter(r -> r[0].equals(prefix + "/responses/it-app")).findFirst().orElse(null);
            }, Objects::nonNull);
            assertThat(response[1]).contains("\"correlation-id\":\"it-1\"").contains("\"status\":204");
            assertThat(get("/api/2/things/it.mqtt:lamp/features/light/properties/on").body()).isEqualTo("true");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                    .anyMatch(r -> r[0].equals(prefix + "/it.mqtt/lamp/things/twin/events/modified") && r[1].contains("\"value\":true")));

            String anonymous = "{\"topic\":\"it.mqtt/lamp/things/twin/commands/modify\",\"headers\":{\"correlation-id\":\"it-2\"},"
                    + "\"path\":\"/features/light/properties/on\",\"value\":false}";
            app.publish(prefix + "/commands/it-app", anonymous.getBytes(StandardCharsets.UTF_8), 1, false);
            String[] refused = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                    .filter(r -> r[0].equals(prefix + "/responses/it-app") && r[1].contains("\"correlation-id\":\"it-2\""))
                    .findFirst().orElse(null), Objects::nonNull);
            assertThat(refused[1]).contains("\"status\":401").contains("gateway:authentication.failed");
            assertThat(get("/api/2/things/it.mqtt:lamp/features/light/properties/on").body()).isEqualTo("true");
        } finally {
            configurationAdmin.getConfiguration("io.rosetta.northbound.mqtt", null).delete();
            app.disconnect();
            app.close();
        }
    }
}
