package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The server as it boots, and the virtual binding installed and uninstalled at runtime (one container boot).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RosettaServerIT extends RosettaTestSupport {

    /** The bundles the "rosetta" feature boots (the virtual binding comes with its own feature). */
    private static final Set<String> SERVER_BUNDLES = Set.of("rosetta-core", "rosetta-models", "rosetta-semantic-models",
            "rosetta-camel", "rosetta-api", "rosetta-shell", "rosetta-security");
    private static final String VIRTUAL = VIRTUAL_BINDING;
    /** Things of the demo fleet that the virtual binding's feature configures (20 devices, ids demo:device-NN). */
    private static final Pattern DEMO_ROW = Pattern.compile("^(demo:device-\\d+)\\s*\\|.*?\\|\\s*(ONLINE|OFFLINE|UNKNOWN)\\b.*$",
            Pattern.MULTILINE);
    private static final Pattern THING_ID = Pattern.compile("\"thingId\"\\s*:\\s*\"([^\"]+)\"");

    @Inject
    private ServiceComponentRuntime scr;

    @Before
    public void ready() {
        awaitReady();
    }

    @Test
    public void everyRosettaBundleIsActiveAndEveryComponentSatisfied() {
        List<Bundle> ours = rosettaBundles();
        assertThat(ours.stream().map(Bundle::getSymbolicName)).containsAll(SERVER_BUNDLES);
        assertThat(ours).allSatisfy(bundle -> assertThat(bundle.getState())
                .as("state of %s", bundle.getSymbolicName()).isEqualTo(Bundle.ACTIVE));
        assertComponentsSatisfied(ours);
    }

    @Test
    public void virtualBindingCreatesTwinsAndLeavesThemOfflineWhenUninstalled() throws Exception {
        executeCommand("feature:install " + VIRTUAL);
        assertThat(bundle(VIRTUAL)).as(VIRTUAL + " bundle").isNotNull()
                .satisfies(b -> assertThat(b.getState()).isEqualTo(Bundle.ACTIVE));
        assertComponentsSatisfied(rosettaBundles());

        // twins appear in the shell, ONLINE ...
        Map<String, String> online = Awaitility.await("the demo twins are ONLINE in rosetta:things")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> statusById(executeCommand("rosetta:things --namespace demo --limit 0")),
                        rows -> rows.size() == 20 && rows.values().stream().allMatch("ONLINE"::equals));
        List<String> ids = new ArrayList<>(online.keySet());

        // ... and over REST, one by one and as a list
        HttpResponse<String> one = get("/api/2/things/" + ids.get(0));
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"thingId\":\"" + ids.get(0) + "\"").contains("\"features\"");
        HttpResponse<String> list = get("/api/2/things?ids=" + String.join(",", ids));
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(thingIds(list.body())).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(get("/api/2/things/" + ids.get(0), ADMIN, "not-the-password").statusCode()).isEqualTo(401);
        assertThat(get("/api/2/things/demo:no-such-device").statusCode()).isEqualTo(404);

        executeCommand("feature:uninstall " + VIRTUAL);
        assertThat(bundle(VIRTUAL)).as("uninstalled bundle").isNull();

        // every twin stays, OFFLINE, in the shell ...
        Map<String, String> offline = Awaitility.await("the demo twins are OFFLINE in rosetta:things")
                .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> statusById(executeCommand("rosetta:things --namespace demo --limit 0")),
                        rows -> rows.keySet().equals(online.keySet()) && rows.values().stream().allMatch("OFFLINE"::equals));
        assertThat(offline).hasSize(20);
        assertThat(executeCommand("rosetta:things --status OFFLINE --namespace demo --limit 0")).contains(ids.get(0));

        // ... and over REST
        HttpResponse<String> connectivity = get("/api/2/things?ids=" + String.join(",", ids) + "&fields=thingId,_connectivity");
        assertThat(connectivity.statusCode()).isEqualTo(200);
        assertThat(thingIds(connectivity.body())).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(count(connectivity.body(), "\"status\":\"OFFLINE\"")).isEqualTo(20);
        assertThat(connectivity.body()).doesNotContain("\"ONLINE\"").doesNotContain("\"features\"");
    }

    /**
     * The served OpenAPI document lists what is installed: the search and the device administration while their bundles
     * run, not after the search bundle stops, and again once it is back.
     */
    @Test
    public void theOpenApiDocumentListsTheInstalledApis() throws Exception {
        assertThat(openApi()).contains("\"/api/2/things\":", "\"/api/2/search/things\":", "\"/api/2/search/things/count\":",
                "\"/api/2/devices\":", "\"/api/2/devices/{deviceId}/lifecycle\":", "\"SearchResult\":", "\"Device\":");

        Bundle search = bundle("rosetta-search");
        search.stop();
        try {
            Awaitility.await("the search paths leave the document").atMost(Duration.ofSeconds(30))
                    .until(() -> !openApi().contains("\"/api/2/search/things\":"));
            assertThat(openApi()).contains("\"/api/2/devices\":");
        } finally {
            search.start();
        }
        Awaitility.await("the search paths are back").atMost(Duration.ofSeconds(30))
                .until(() -> openApi().contains("\"/api/2/search/things\":"));
    }

    private String openApi() throws Exception {
        HttpResponse<String> r = get("/api/2/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private List<Bundle> rosettaBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("rosetta-"))
                .collect(Collectors.toList());
    }

    private Bundle bundle(String symbolicName) {
        return rosettaBundles().stream().filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst().orElse(null);
    }

    /** Every enabled component of these bundles is satisfied or active (those that need a configuration may have none). */
    private void assertComponentsSatisfied(List<Bundle> bundles) {
        List<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(bundles.toArray(new Bundle[0]))
                .stream().collect(Collectors.toList());
        assertThat(descriptions).as("DS components of the rosetta bundles").isNotEmpty();
        for (ComponentDescriptionDTO description : descriptions) {
            assertThat(scr.isComponentEnabled(description)).as("%s enabled", description.name).isTrue();
            var configurations = scr.getComponentConfigurationDTOs(description);
            if (configurations.isEmpty()) {
                assertThat(description.configurationPolicy).as("%s has no configuration: it must require one", description.name)
                        .isEqualTo("require");
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                assertThat(configuration.state)
                        .as("%s: state %s, unsatisfied references %s", description.name, configuration.state,
                                Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).collect(Collectors.toList()))
                        .isIn(ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE);
            }
        }
    }

    private static Map<String, String> statusById(String table) {
        Map<String, String> rows = new TreeMap<>();
        Matcher matcher = DEMO_ROW.matcher(table);
        while (matcher.find()) {
            rows.put(matcher.group(1), matcher.group(2));
        }
        return rows;
    }

    private static List<String> thingIds(String json) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = THING_ID.matcher(json);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
