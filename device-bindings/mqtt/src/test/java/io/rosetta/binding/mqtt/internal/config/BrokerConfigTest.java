package io.rosetta.binding.mqtt.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void defaultsAreThoseOfAPersistentQos1Session() {
        Map<String, Object> p = new HashMap<>();
        p.put("felix.fileinstall.filename", "file:/opt/rosetta/etc/io.rosetta.binding.mqtt.broker-home.cfg");
        BrokerConfig c = BrokerConfig.from(p);

        assertThat(c.name()).isEqualTo("home");
        assertThat(c.url()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(c.clientId()).isEqualTo("rosetta-home");
        assertThat(c.cleanSession()).isFalse();
        assertThat(c.qos()).isEqualTo(1);
        assertThat(c.maxInflight()).isEqualTo(1000);
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.offlineGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dialects()).containsExactly("zigbee2mqtt", "tasmota", "generic", "sparkplug");
        assertThat(c.autoApprove()).containsExactly("*");
        assertThat(c.autoApproves("homeassistant")).isTrue();
        assertThat(c.sparkplugGroups()).containsExactly("*");
        assertThat(c.sparkplugHostId()).isNull();
        assertThat(c.sparkplugRebirthInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.namespace()).isEqualTo("mqtt");
        assertThat(c.client()).isEqualTo(BrokerConfig.Client.VERTX);
        assertThat(BrokerConfig.from(Map.of("felix.fileinstall.filename", "file:/etc/io.rosetta.binding.mqtt.broker-my-plant.cfg")).name())
                .isEqualTo("my-plant");
    }

    @Test
    void readsEveryKey() {
        Map<String, Object> p = new HashMap<>();
        p.put("name", "plant");
        p.put("url", "ssl://broker.example.com:8883");
        p.put("clientId", "rosetta-plant-1");
        p.put("username", "rosetta");
        p.put("password", "s3cret");
        p.put("trustStore", "/etc/rosetta/ca.p12");
        p.put("keyStore", "/etc/rosetta/client.p12");
        p.put("keyStoreType", "JKS");
        p.put("cleanSession", "true");
        p.put("keepAlive", "30s");
        p.put("maxInflight", "5000");
        p.put("qos", "0");
        p.put("dialects", "tasmota");
        p.put("namespace", "plant.north");
        p.put("offlineGrace", "2m");
        p.put("maxPayloadBytes", "1024");
        p.put("autoApprove", "tasmota, generic");
        p.put("sparkplugGroups", "plant-1, plant-2");
        p.put("sparkplugHostId", "rosetta");
        p.put("sparkplugRebirthInterval", "30s");
        BrokerConfig c = BrokerConfig.from(p);

        assertThat(c.url()).isEqualTo("ssl://broker.example.com:8883");
        assertThat(c.keyStoreType()).isEqualTo("JKS");
        assertThat(c.trustStoreType()).isEqualTo("PKCS12");
        assertThat(c.cleanSession()).isTrue();
        assertThat(c.maxInflight()).isEqualTo(5000);
        assertThat(c.dialects()).isEqualTo(List.of("tasmota"));
        assertThat(c.offlineGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.autoApproves("tasmota")).isTrue();
        assertThat(c.autoApproves("zigbee2mqtt")).isFalse();
        assertThat(c.sparkplugGroups()).containsExactly("plant-1", "plant-2");
        assertThat(c.sparkplugHostId()).isEqualTo("rosetta");
        assertThat(c.sparkplugRebirthInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(BrokerConfig.from(Map.of("autoApprove", "none")).autoApproves("generic")).isFalse();
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void theClientIsVertxOverTcpAndTlsAndPahoOverWebSocket() {
        assertThat(BrokerConfig.from(Map.of("url", "ssl://broker:8883")).client()).isEqualTo(BrokerConfig.Client.VERTX);
        assertThat(BrokerConfig.from(Map.of("url", "tcp://broker:1883", "client", "paho")).client()).isEqualTo(BrokerConfig.Client.PAHO);
        assertThat(BrokerConfig.from(Map.of("url", "ws://broker:9001/mqtt")).client()).isEqualTo(BrokerConfig.Client.PAHO);
        assertThat(BrokerConfig.from(Map.of("url", "wss://broker:443/mqtt")).client()).isEqualTo(BrokerConfig.Client.PAHO);
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("url", "ws://broker:9001/mqtt", "client", "vertx")))
                .hasMessage("client vertx speaks MQTT over TCP and TLS only: use client = paho for ws://broker:9001/mqtt");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("client", "hivemq")))
                .hasMessage("client must be vertx or paho but was 'hivemq'");
    }

    @Test
    void wrongValuesNameTheKey() {
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("url", "http://x:80"))).hasMessageStartingWith("url must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("url", "tcp://"))).hasMessageStartingWith("url must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("dialects", "tasmota, lorawan"))).hasMessageContaining("'lorawan'");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("autoApprove", "zigbee"))).hasMessageStartingWith("autoApprove must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("sparkplugGroups", "plant/1"))).hasMessageStartingWith("sparkplugGroups must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("sparkplugHostId", "host#1"))).hasMessageStartingWith("sparkplugHostId must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("maxInflight", "0"))).hasMessageStartingWith("maxInflight must be between");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("qos", "3"))).hasMessageStartingWith("qos must be between");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("cleanSession", "maybe"))).hasMessageStartingWith("cleanSession must be true or false");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("offlineGrace", "soon"))).hasMessageStartingWith("offlineGrace must be a duration");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("namespace", "1bad"))).hasMessageStartingWith("namespace must be");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("zigbee2mqttBaseTopic", "z2m/#"))).hasMessageStartingWith("zigbee2mqttBaseTopic");
        assertThatThrownBy(() -> BrokerConfig.from(Map.of("reconnectInitialDelay", "1ms"))).hasMessageStartingWith("reconnectInitialDelay");
    }
}
