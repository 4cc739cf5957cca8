package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built distribution as an administrator runs it: unpacked into its own folder under {@code target/it-work},
 * HTTP, HTTPS and SSH on free ports of the loopback interface, started with {@code bin/karaf server} (the
 * administrator's password from {@code ROSETTA_ADMIN_PASSWORD}), administered with {@code bin/rosetta}, killed
 * with SIGKILL.
 */
final class Distribution implements AutoCloseable {

    /** Generous: a loaded 2-core machine, and the demo devices wait up to 30 s for the models they simulate. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    record Result(int exitCode, String output) { }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path home;
    private final String password;
    private final int httpPort;
    private Process karaf;

    private Distribution(Path home, String password, int httpPort) {
        this.home = home;
        this.password = password;
        this.httpPort = httpPort;
    }

    /** Unpacks the distribution (system property {@code rosetta.distribution}) and gives it free ports. */
    static Distribution unpack(String name, String password) throws Exception {
        Path archive = Paths.get(System.getProperty("rosetta.distribution"));
        assertThat(archive).as("the built distribution").isRegularFile();
        Path work = Files.createDirectories(Paths.get(System.getProperty("rosetta.itest.work", "target/it-work")));
        Path dir = Files.createTempDirectory(work, name + "-");
        run(dir, "tar", "xzf", archive.toAbsolutePath().toString());
        Path home;
        try (Stream<Path> entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Distribution d = new Distribution(home, password, freePort());
        d.setProperty("etc/io.rosetta.camel.cfg", "http.port", Integer.toString(d.httpPort));
        d.setProperty("etc/io.rosetta.camel.cfg", "http.host", "127.0.0.1");
        d.setProperty("etc/io.rosetta.camel.cfg", "https.port", Integer.toString(freePort()));
        d.setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort()));
        d.setProperty("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        return d;
    }

    int httpPort() {
        return httpPort;
    }

    String password() {
        return password;
    }

    /** Starts {@code bin/karaf server} and waits until the HTTP API answers. */
    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ROSETTA_ADMIN_PASSWORD", password);
        karaf = builder.start();
        await("the HTTP API on port " + httpPort).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> get("/api/2/things?ids=readiness:probe").statusCode() == 200);
    }

    /** SIGKILL to the Karaf JVM (a child of the bin/karaf script) and to the script. */
    void kill() throws InterruptedException {
        if (karaf == null) {
            return;
        }
        List<ProcessHandle> processes = karaf.descendants().collect(Collectors.toList());
        processes.forEach(ProcessHandle::destroyForcibly);
        karaf.destroyForcibly();
        for (ProcessHandle process : processes) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        karaf.waitFor(30, TimeUnit.SECONDS);
        karaf = null;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** A GET as the administrator, with HTTP Basic credentials. */
    HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /** Sends a request as the administrator, with HTTP Basic credentials. */
    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(request.header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    /** Runs bin/rosetta as an administrator would from a terminal, without standard input. */
    Result rosetta(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/rosetta").toString(), command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("ROSETTA_ADMIN_PASSWORD");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/rosetta %s finishes", command).isTrue();
        return new Result(process.exitValue(), output);
    }

    private void setProperty(String file, String key, String value) throws IOException {
        Path path = home.resolve(file);
        List<String> lines = Files.exists(path) ? Files.readAllLines(path) : new ArrayList<>();
        Pattern keyLine = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        List<String> updated = lines.stream().filter(line -> !keyLine.matcher(line).matches()).collect(Collectors.toList());
        updated.add(key + " = " + value);
        Files.write(path, updated);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
