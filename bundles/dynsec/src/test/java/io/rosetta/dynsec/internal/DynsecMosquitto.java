package io.rosetta.dynsec.internal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of the test's own on a free port, with the dynamic security plugin (Debian's package ships it) and a fresh
 * plugin configuration made by {@code mosquitto_ctrl dynsec init}; it can be stopped and started again on the same port
 * and configuration, and is killed at the end.
 */
final class DynsecMosquitto implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    static final Path CTRL = Path.of("/usr/bin/mosquitto_ctrl");
    /** Where Debian and Ubuntu install the plugin ({@code dpkg -L mosquitto | grep dynamic}). */
    static final List<Path> PLUGIN_PATHS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so"), Path.of("/usr/lib/mosquitto_dynamic_security.so"),
            Path.of("/usr/local/lib/mosquitto_dynamic_security.so"));
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "dynsec-admin-password";

    final int port;
    private final Path dir;
    private Process process;

    DynsecMosquitto(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.port = freePort();
        Path plugin = plugin().orElseThrow(() -> new IllegalStateException("mosquitto_dynamic_security.so not found in " + PLUGIN_PATHS));
        Path config = dir.resolve("dynamic-security.json");
        Process init = new ProcessBuilder(CTRL.toString(), "dynsec", "init", config.toString(), ADMIN, ADMIN_PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("init.log").toFile()).start();
        if (!init.waitFor(20, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_ctrl dynsec init failed: " + Files.readString(dir.resolve("init.log")));
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                // started as root, Mosquitto drops to the user 'mosquitto', which cannot write the test's folder
                "user " + System.getProperty("user.name"),
                "allow_anonymous false",
                "plugin " + plugin,
                "plugin_opt_config_file " + config,
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type all",
                ""));
    }

    static Optional<Path> plugin() {
        return PLUGIN_PATHS.stream().filter(Files::isReadable).findFirst();
    }

    static boolean available() {
        return Files.isExecutable(BINARY) && Files.isExecutable(CTRL) && plugin().isPresent();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void start() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::accepts);
    }

    /** SIGTERM, as an operator stops it; the plugin's configuration stays. */
    void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
