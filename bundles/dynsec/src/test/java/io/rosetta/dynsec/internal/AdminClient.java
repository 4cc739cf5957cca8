package io.rosetta.dynsec.internal;

import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Another administrator of the plugin, as mosquitto_ctrl would be: sends one command and waits for its answer. */
final class AdminClient implements AutoCloseable {

    private final MqttClient client;
    private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    AdminClient(String url) throws MqttException {
        client = new MqttClient(url, "test-admin", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(DynsecMosquitto.ADMIN);
        o.setPassword(DynsecMosquitto.ADMIN_PASSWORD.toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(o);
        client.subscribe(DynsecCommands.RESPONSE_TOPIC, 1, (topic, message) -> {
            JsonValue v = Json.parse(message.getPayload());
            if (v instanceof JsonObject o2 && o2.getOrNull("responses") instanceof JsonArray a) {
                for (JsonValue r : a) {
                    if (r instanceof JsonObject ro && ro.getOrNull("correlationData") instanceof JsonString cid && cid.value().startsWith("t")) {
                        answers.put(cid.value(), ro);
                    }
                }
            }
        });
    }

    /** Sends the command and returns its answer ({@code error} and/or {@code data}). */
    JsonObject send(JsonObject command) throws MqttException {
        String id = "t" + ids.incrementAndGet();
        byte[] payload = Json.writeBytes(DynsecCommands.envelope(List.of(DynsecCommands.withCorrelation(command, id))));
        client.publish(DynsecCommands.TOPIC, payload, 1, false);
        return await().atMost(Duration.ofSeconds(10)).until(() -> answers.remove(id), a -> a != null);
    }

    JsonObject send(String json) throws MqttException {
        return send(Json.parseObject(json));
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }

    static String text(JsonObject o) {
        return new String(Json.writeBytes(o), StandardCharsets.UTF_8);
    }
}
