package io.rosetta.binding.coap.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoapServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        CoapServerConfig c = CoapServerConfig.from(Map.of());
        assertThat(c.port()).isEqualTo(5683);
        assertThat(c.securePort()).isEqualTo(5684);
        assertThat(c.allowPlainCoap()).isFalse();
        assertThat(c.namespace()).isEqualTo("coap");
        assertThat(c.maxBodySize()).isEqualTo(65536);
        assertThat(c.psk()).isEmpty();
    }

    @Test
    void keysFromTheConfigurationAndACredentialsFile() throws Exception {
        Path file = dir.resolve("coap-psk.properties");
        Files.writeString(file, "dev7 = base64:c2VjcmV0\ndev8 = plain words\n");
        CoapServerConfig c = CoapServerConfig.from(Map.of("psk.dev1", "hex:0a0B", "pskFile", file.toString()));
        assertThat(c.psk()).containsOnlyKeys("dev1", "dev7", "dev8");
        assertThat(c.psk().get("dev1")).containsExactly(0x0a, 0x0b);
        assertThat(new String(c.psk().get("dev7"), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(new String(c.psk().get("dev8"), StandardCharsets.UTF_8)).isEqualTo("plain words");
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("port", "many"))).hasMessage("port must be a whole number but was 'many'");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("blockSize", 100))).hasMessageContaining("blockSize must be a power of two");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("namespace", "9x"))).hasMessageContaining("namespace");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("psk.d", "hex:zz"))).hasMessageContaining("psk.d is not a valid key");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("pskFile", dir.resolve("none").toString())))
                .hasMessageContaining("pskFile cannot be read");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("allowPlainCoap", "yes"))).hasMessageContaining("allowPlainCoap");
    }

    @Test
    void rawPublicKeysFromTheConfiguration() throws Exception {
        KeyPair device = ecKeyPair();
        String pem = KeyFiles.pem("PUBLIC KEY", device.getPublic().getEncoded());
        String b64 = Base64.getEncoder().encodeToString(device.getPublic().getEncoded());
        CoapServerConfig c = CoapServerConfig.from(Map.of("rawPublicKeys", "true", "serverKeyFile", dir.resolve("k.pem").toString(),
                "rpk.a", pem, "rpk.b", "base64:" + b64, "rpk.c", b64, "rpkDir", dir.toString()));
        assertThat(c.rawPublicKeys()).isTrue();
        assertThat(c.rpk()).containsOnlyKeys("a", "b", "c");
        assertThat(c.rpk().get("a")).isEqualTo(device.getPublic().getEncoded()).isEqualTo(c.rpk().get("c"));
        assertThat(c.rpkDir()).isEqualTo(dir);
        assertThat(CoapServerConfig.from(Map.of()).rawPublicKeys()).isFalse();
    }

    @Test
    void wrongRawPublicKeySettingsNameTheirKey() {
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("rpk.d", "bm90IGEga2V5"))).hasMessageContaining("rpk.d is not a public key");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("rpk.d", "%%%"))).hasMessageContaining("rpk.d is not a public key");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("rpkDir", dir.resolve("none").toString())))
                .hasMessageContaining("rpkDir must be a directory");
        assertThatThrownBy(() -> CoapServerConfig.from(Map.of("jsonMappingDir", dir.resolve("none").toString())))
                .hasMessageContaining("jsonMappingDir must be a directory");
        if (System.getProperty("karaf.etc") == null) {
            assertThatThrownBy(() -> CoapServerConfig.from(Map.of("rawPublicKeys", true)))
                    .hasMessageContaining("serverKeyFile must be set");
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
