package io.rosetta.benchmarks.simulator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A Mosquitto of the test's own on a free port, without persistence, stopped on close. */
public final class Mosquitto implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    public final int port;
    private final Process process;

    public Mosquitto(Path dir) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("these tests need Mosquitto (Debian package mosquitto) at " + BINARY);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "user " + System.getProperty("user.name"),
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 100000",
                "log_dest file " + dir.resolve("mosquitto.log"),
                ""));
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::accepts);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
