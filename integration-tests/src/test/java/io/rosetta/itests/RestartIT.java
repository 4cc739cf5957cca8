package io.rosetta.itests;

import static io.rosetta.itests.Distribution.START_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution as an administrator runs it: unpacked, started with {@code bin/karaf server}, administered with
 * {@code bin/rosetta}, killed with SIGKILL and started again. Every twin and its revision must survive.
 */
class RestartIT {

    private static final Pattern THING = Pattern.compile("\\{\"thingId\":\"(demo:[^\"]+)\".*?\"_revision\":(\\d+)");

    private Distribution rosetta;

    @BeforeEach
    void unpack() throws Exception {
        rosetta = Distribution.unpack("restart", "restart-it-password");
    }

    @AfterEach
    void stop() throws Exception {
        rosetta.close();
    }

    @Test
    void twinsAndRevisionsSurviveAKillAndARestart() throws Exception {
        rosetta.start();
        // the shipped demo fleet: 20 virtual devices reporting every few seconds
        Map<String, Long> live = await("the demo twins over REST").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> revisions(restList()), twins -> twins.size() == 20);
        assertThat(rosetta.rosetta("rosetta:things --namespace demo --limit 0").output()).contains("demo:device-");

        // stop the devices: the twins go OFFLINE and stop changing (a feature uninstalled stays uninstalled across restarts)
        Distribution.Result uninstall = rosetta.rosetta("feature:uninstall rosetta-binding-virtual");
        assertThat(uninstall.exitCode()).as("bin/rosetta feature:uninstall: %s", uninstall.output()).isZero();
        String before = await("every twin OFFLINE").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(this::restList, body -> count(body, "\"status\":\"OFFLINE\"") == 20);
        Map<String, Long> acknowledged = revisions(before);
        assertThat(acknowledged.keySet()).isEqualTo(live.keySet());
        acknowledged.forEach((id, revision) -> assertThat(revision).as(id).isGreaterThanOrEqualTo(live.get(id)));

        // a command that fails makes bin/rosetta fail
        Distribution.Result failing = rosetta.rosetta("rosetta:thing demo:no-such-device");
        assertThat(failing.exitCode()).as("exit code of a failing command").isNotZero();

        rosetta.kill();
        rosetta.start();

        String after = await("the twins after the restart").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(this::restList, body -> !revisions(body).isEmpty());
        assertThat(revisions(after)).as("every twin and revision").isEqualTo(acknowledged);
        assertThat(after).as("the whole twins, byte for byte").isEqualTo(before);
        Distribution.Result things = rosetta.rosetta("rosetta:things --namespace demo --status OFFLINE --limit 0");
        assertThat(things.exitCode()).isZero();
        assertThat(acknowledged.keySet()).allSatisfy(id -> assertThat(things.output()).contains(id));
    }

    private String restList() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(String.format("demo:device-%02d", i));
        }
        HttpResponse<String> response = rosetta.get("/api/2/things?ids=" + String.join(",", ids)
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

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
