package io.rosetta.core.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of a test's own (Debian package {@code mosquitto}) on a free port of the loopback interface, logging into
 * the test's folder; a test can stop it as an operator would (SIGTERM) and start it again on the same port and
 * configuration. Shared by the tests of the bundles that talk MQTT to a real broker (test-jar of rosetta-core).
 */
public final class MosquittoProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    /** Anonymous clients, no persistence, a deep queue per client: a broker for load and simulator tests. */
    public static final List<String> ANONYMOUS_DEEP_QUEUES = List.of("allow_anonymous true", "persistence false",
            "max_queued_messages 100000");

    /** The broker's plain listener. */
    public final int port;
    private final Path dir;
    private Process process;

    /**
     * A broker on a free port with {@code config}'s lines after the listener's (other listeners, plugins, TLS options,
     * anonymous access ...).
     */
    public MosquittoProcess(Path dir, List<String> config) throws IOException {
        this.dir = dir;
        this.port = freePort();
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                // started as root, Mosquitto drops to the user 'mosquitto', which cannot write the test's folder
                "user " + System.getProperty("user.name"),
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type all"));
        lines.addAll(config);
        lines.add("");
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", lines));
    }

    /** Anonymous clients, persistent sessions and queued messages (kept over a stop and start), a deep queue per client. */
    public static MosquittoProcess persistent(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        return new MosquittoProcess(dir, List.of("allow_anonymous true", "persistence true",
                "persistence_location " + dir.resolve("data") + "/", "max_queued_messages 10000"));
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Starts the broker and waits until its plain listener accepts connections. */
    public void start() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::accepts);
    }

    /** Stops the broker as an operator would (SIGTERM): it saves its sessions, queued messages and plugin state. */
    public void stop() {
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
