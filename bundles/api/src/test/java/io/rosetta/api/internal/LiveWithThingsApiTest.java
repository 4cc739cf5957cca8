package io.rosetta.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rosetta.api.internal.live.LiveConfig;
import io.rosetta.api.internal.live.LiveEventLog;
import io.rosetta.api.internal.live.LiveMetrics;
import io.rosetta.api.internal.live.LiveRoutes;
import io.rosetta.api.testing.ApiTestServer;
import io.rosetta.core.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live APIs and the things API on one server: each answers its own requests on the shared path. */
class LiveWithThingsApiTest {

    private ApiServer server;
    private LiveEventLog log;
    private LiveRoutes live;

    @BeforeEach
    void start() throws Exception {
        server = new ApiServer();
        LiveConfig config = ApiTestServer.liveConfig(100, 100, 16);
        log = new LiveEventLog(server.registry, config);
        live = new LiveRoutes(server.registry, server.authenticator, log, new LiveMetrics(), config);
        server.addRoutes(live);
    }

    @AfterEach
    void stop() {
        server.close();
        log.close();
    }

    @Test
    void aChangeThroughTheHttpApiReachesAnEventStreamOnTheSamePath() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        HttpClient.newHttpClient().sendAsync(server.request("/api/2/things?namespaces=org.example").header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        lines.add(line);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
        await().until(() -> lines.contains(":"));

        HttpResponse<String> put = server.put("/api/2/things/org.example:lamp-1", "{\"attributes\":{\"room\":\"hall\"}}");
        assertThat(put.statusCode()).isEqualTo(201);
        await().until(() -> lines.stream().anyMatch(l -> l.startsWith("data: ")));
        String data = lines.stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
        assertThat(Json.parse(data)).isEqualTo(Json.parse("{\"thingId\":\"org.example:lamp-1\",\"attributes\":{\"room\":\"hall\"}}"));

        // without Accept: text/event-stream the things API answers the same path
        HttpResponse<String> things = server.get("/api/2/things?ids=org.example:lamp-1&fields=thingId");
        assertThat(things.statusCode()).isEqualTo(200);
        assertThat(Json.parse(things.body())).isEqualTo(Json.parse("[{\"thingId\":\"org.example:lamp-1\"}]"));
        HttpResponse<String> noIds = server.get("/api/2/things");
        assertThat(noIds.statusCode()).isEqualTo(400);
        subscription.get().cancel();
    }
}
