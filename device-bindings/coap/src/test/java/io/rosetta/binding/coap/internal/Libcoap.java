package io.rosetta.binding.coap.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** libcoap's command line tools (Debian package {@code libcoap3-bin}) as real peers. */
final class Libcoap {

    static final String CLIENT = "coap-client-openssl";
    static final String SERVER = "coap-server-openssl";
    /** libcoap's client on GnuTLS: the one of the package with raw public keys (RFC 7250). */
    static final String GNUTLS_CLIENT = "coap-client-gnutls";

    private Libcoap() {
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The outcome of one run: exit code and what it printed (stdout and stderr together). */
    record Run(int exit, String output) {
    }

    /** Runs the client with a payload from a file (libcoap reads {@code -e} text percent-decoded, a file as is). */
    static Run client(Path dir, String payload, String... args) throws IOException, InterruptedException {
        return client(dir, 5, payload, args);
    }

    /** As {@link #client(Path, String, String...)}, giving up after {@code waitSeconds} without an answer. */
    static Run client(Path dir, int waitSeconds, String payload, String... args) throws IOException, InterruptedException {
        return run(CLIENT, dir, waitSeconds, payload, args);
    }

    /** Runs {@code tool} (a libcoap client) as {@link #client(Path, int, String, String...)} runs the OpenSSL one. */
    static Run run(String tool, Path dir, int waitSeconds, String payload, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool);
        cmd.add("-B");
        cmd.add(Integer.toString(waitSeconds));
        if (payload != null) {
            Path f = Files.createTempFile(dir, "payload", ".txt");
            Files.writeString(f, payload, StandardCharsets.UTF_8);
            cmd.add("-f");
            cmd.add(f.toString());
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(tool + " did not finish: " + cmd);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** libcoap's example server on a free UDP port of 127.0.0.1 (its {@code /example_data} is writable and observable). */
    static final class Server implements AutoCloseable {
        final int port;
        private final Process process;

        Server() throws IOException {
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            process = new ProcessBuilder(SERVER, "-A", "127.0.0.1", "-p", Integer.toString(port)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
