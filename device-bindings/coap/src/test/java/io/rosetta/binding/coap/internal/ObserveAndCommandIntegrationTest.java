package io.rosetta.binding.coap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Observe (RFC 7641) of a registered device's resources and desired state sent as confirmable PUTs. */
class ObserveAndCommandIntegrationTest {

    private static final String PLUG = "rosetta:smart-plug:1.0.0";
    private static final ThingId ID = ThingId.of("coap", "plug1");
    private final CoreWiring core = new CoreWiring();

    @AfterEach
    void close() {
        core.close();
    }

    private Optional<JsonValue> reported(String feature, String property) {
        return core.twin(ID).flatMap(t -> t.feature(feature)).map(f -> f.properties().getOrNull(property));
    }

    private Thing twin() {
        return core.twin(ID).orElseThrow();
    }

    @Test
    void notificationsReachTheTwinAndObservationsFollowARestart() throws Exception {
        CoapServerComponent server = core.server(Map.of());
        try (SimulatedPlug plug = new SimulatedPlug()) {
            assertThat(plug.register(server.plainAddress(), "plug1", PLUG).getCode()).isEqualTo(ResponseCode.CREATED);
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(10.0))));
            plug.power(42.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(42.5))));
            assertThat(plug.observers()).isEqualTo(1);
        }
        // the device restarts on another port and registers again: the binding observes the new one
        try (SimulatedPlug restarted = new SimulatedPlug()) {
            restarted.power(7.25);
            assertThat(restarted.register(server.plainAddress(), "plug1", PLUG).getCode()).isEqualTo(ResponseCode.CREATED);
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(7.25))));
            restarted.power(8.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(8.5))));
        }
    }

    @Test
    void desiredStateRoundTrip() throws Exception {
        CoapServerComponent server = core.server(Map.of("ackTimeout", 200, "maxRetransmit", 1));
        SimulatedPlug plug = new SimulatedPlug();
        try {
            assertThat(plug.register(server.plainAddress(), "plug1", PLUG).getCode()).isEqualTo(ResponseCode.CREATED);
            await().atMost(Duration.ofSeconds(5)).until(() -> twin().connectivity().status() == ConnectivityStatus.Status.ONLINE);

            core.registry.merge(ID, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonBoolean.TRUE),
                    Precondition.none());
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("switch", "on").equals(Optional.of(JsonBoolean.TRUE)));
            assertThat(plug.relay).isTrue();
            assertThat(core.runtime.commandsConfirmed()).isEqualTo(1);

            // the device refuses: counted, the reported state stays
            core.registry.merge(ID, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("powerOnState",
                    JsonString.of("on")), Precondition.none());
            await().atMost(Duration.ofSeconds(5)).until(() -> core.runtime.commandsFailed() == 1);
            assertThat(reported("switch", "powerOnState")).isEmpty();
            assertThat(plug.relay).isTrue();

            // the device is gone: no answer after the retransmissions makes the twin OFFLINE
            plug.close();
            core.registry.merge(ID, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonBoolean.FALSE),
                    Precondition.none());
            await().atMost(Duration.ofSeconds(10)).until(() -> twin().connectivity().status() == ConnectivityStatus.Status.OFFLINE);
            assertThat(twin().connectivity().description()).contains("no answer to PUT");
            assertThat(reported("switch", "on")).contains(JsonBoolean.TRUE);
        } finally {
            plug.close();
        }
    }

    /** Over DTLS the binding reaches the device through the device's own DTLS session (the server never starts a handshake). */
    @Test
    void observeAndDesiredStateThroughTheDevicesDtlsSession() throws Exception {
        CoapServerComponent server = core.server(Map.of("allowPlainCoap", false, "psk.plug1", "plug1-key"));
        try (SimulatedPlug plug = new SimulatedPlug("plug1", "plug1-key".getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(plug.register(server.secureAddress(), "plug1", PLUG).getCode()).isEqualTo(ResponseCode.CREATED);
            // the observation is a confirmable request over the device's session: on a loaded machine a transmission can
            // go unanswered, and CoAP retransmits after 2-3 s, then 4-6 s later (ACK_TIMEOUT with back-off)
            await().atMost(Duration.ofSeconds(15)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(10.0))));
            plug.power(3.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("energy", "power").equals(Optional.of(JsonNumber.of(3.5))));
            core.registry.merge(ID, JsonPointer.of("/features/switch/desiredProperties"), JsonObject.of("on", JsonBoolean.TRUE),
                    Precondition.none());
            await().atMost(Duration.ofSeconds(5)).until(() -> reported("switch", "on").equals(Optional.of(JsonBoolean.TRUE)));
            assertThat(plug.relay).isTrue();
        }
    }
}
