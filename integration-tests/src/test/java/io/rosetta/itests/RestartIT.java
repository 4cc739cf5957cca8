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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution as an administrator runs it: unpacked, started with {@code bin/karaf server}, administered with
 * {@code bin/rosetta}, killed with SIGKILL and started again. Every twin and its revision must survive.
 */
class RestartIT {

    private static final String PASSWORD = "restart-it-password";
    /** Generous: a loaded 2-core machine, and the demo devices wait up to 30 s for the models they simulate. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern THING = Pattern.compile("\\{\"thingId\":\"(demo:[^\"]+)\".*?\"_revision\":(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path home;
    private int httpPort;
    private int sshPort;
    private Process karaf;

    @BeforeEach
    void unpack() throws Exception {
        Path archive = Paths.get(System.getProperty("rosetta.distribution"));
        assertThat(archive).as("the built distribution").isRegularFile();
        Path work = Files.createDirectories(Paths.get(System.getProperty("rosetta.itest.work", "target/it-work")));
        Path dir = Files.createTempDirectory(work, "restart-");
        run(dir, "tar", "xzf", archive.toAbsolutePath().toString());
        try (Stream<Path> entries = Files.list(dir)) {
            home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        httpPort = freePort();
        sshPort = freePort();
        setProperty("etc/io.rosetta.camel.cfg", "http.port", Integer.toString(httpPort));
        setProperty("etc/io.rosetta.camel.cfg", "http.host", "127.0.0.1");
        setProperty("etc/io.rosetta.camel.cfg", "https.port", Integer.toString(freePort()));
        setProperty("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(sshPort));
        setProperty("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
    }

    @AfterEach
    void stop() throws Exception {
        if (karaf != null) {
            killJvm();
        }
    }

    @Test
    void twinsAndRevisionsSurviveAKillAndARestart() throws Exception {
        start();
        // the shipped demo fleet: 20 virtual devices reporting every few seconds
        Map<String, Long> live = await("the demo twins over REST").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> revisions(restList()), twins -> twins.size() == 20);
        assertThat(rosetta("rosetta:things --namespace demo --limit 0").output).contains("demo:device-");

        // stop the devices: the twins go OFFLINE and stop changing (a feature uninstalled stays uninstalled across restarts)
        Result uninstall = rosetta("feature:uninstall rosetta-binding-virtual");
        assertThat(uninstall.exitCode).as("bin/rosetta feature:uninstall: %s", uninstall.output).isZero();
        String before = await("every twin OFFLINE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(this::restList, body -> count(body, "\"status\":\"OFFLINE\"") == 20);
        Map<String, Long> acknowledged = revisions(before);
        assertThat(acknowledged.keySet()).isEqualTo(live.keySet());
        acknowledged.forEach((id, revision) -> assertThat(revision).as(id).isGreaterThanOrEqualTo(live.get(id)));

        // a command that fails makes bin/rosetta fail
        Result failing = rosetta("rosetta:thing demo:no-such-device");
        assertThat(failing.exitCode).as("exit code of a failing command").isNotZero();

        killJvm();
        start();

        String after = await("the twins after the restart").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(this::restList, body -> !revisions(body).isEmpty());
        assertThat(revisions(after)).as("every twin and revision").isEqualTo(acknowledged);
        assertThat(after).as("the whole twins, byte for byte").isEqualTo(before);
        Result things = rosetta("rosetta:things --namespace demo --status OFFLINE --limit 0");
        assertThat(things.exitCode).isZero();
        assertThat(acknowledged.keySet()).allSatisfy(id -> assertThat(things.output).contains(id));
    }

    private void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("ROSETTA_ADMIN_PASSWORD", PASSWORD);
        karaf = builder.start();
        await("the HTTP API on port " + httpPort).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> get("/api/2/things?ids=readiness:probe").statusCode() == 200);
    }

    /** SIGKILL to the Karaf JVM (a child of the bin/karaf script) and to the script. */
    private void killJvm() throws InterruptedException {
        List<ProcessHandle> processes = karaf.descendants().collect(Collectors.toList());
        processes.forEach(ProcessHandle::destroyForcibly);
        karaf.destroyForcibly();
        for (ProcessHandle process : processes) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        karaf.waitFor(30, TimeUnit.SECONDS);
        karaf = null;
    }

    private String restList() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(String.format("demo:device-%02d", i));
        }
        HttpResponse<String> response = get("/api/2/things?ids=" + String.join(",", ids)
                + "&fields=thingId,_revision,_modified,_connectivity,_lifecycle,definition,attributes,features");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Map<String, Long> revisions(String body) {
        Map<String, Long> revisions = new TreeMap<>();
        Matcher matcher = THING.matcher(body);
        while (matcher.find()) {
            revisions.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return revisions;
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + pathAndQuery))
                .header("Authorization", "Basic " + credentials).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) { }

    /** Runs bin/rosetta as an administrator would from a terminal, without standard input. */
    private Result rosetta(String command) throws Exception {
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

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
