package io.rosetta.northbound.mqtt.internal;

import io.rosetta.core.internal.binding.ConnectionSupervisorImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.security.internal.PolicyStore;
import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The northbound wired to the real core as Karaf wires it: an in-memory registry, the connection supervisor
 * (fast backoff), a scheduler, the access policy with its bearer tokens in a folder of the test's.
 */
final class Northbound implements AutoCloseable {

    final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
        Thread t = new Thread(r, "test-scheduler");
        t.setDaemon(true);
        return t;
    });
    final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    final PolicyStore policy;
    final NorthboundMetrics metrics = new NorthboundMetrics();
    final ConnectionSupervisorImpl supervisor;
    private MqttNorthbound northbound;

    Northbound(Path policyDir) {
        policy = PolicyStore.in(policyDir);
        supervisor = new ConnectionSupervisorImpl(scheduler, new ConnectionSupervisorImpl.Config() {
            @Override
            public long initialDelayMillis() {
                return 50;
            }

            @Override
            public long maxDelayMillis() {
                return 300;
            }

            @Override
            public double multiplier() {
                return 2.0;
            }

            @Override
            public long connectTimeoutMillis() {
                return 5000;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ConnectionSupervisorImpl.Config.class;
            }
        });
    }

    /** Starts the northbound with the defaults of {@link NorthboundConfig} changed by {@code changes} (keys as in the .cfg file). */
    MqttNorthbound start(Map<String, Object> changes) {
        northbound = new MqttNorthbound(registry, supervisor, policy, policy, scheduler, metrics, config(changes));
        return northbound;
    }

    static NorthboundConfig config(Map<String, Object> changes) {
        Map<String, Object> c = new HashMap<>(changes);
        return new NorthboundConfig() {
            @SuppressWarnings("unchecked")
            private <T> T get(String key, T fallback) {
                return (T) c.getOrDefault(key, fallback);
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return NorthboundConfig.class;
            }

            @Override
            public boolean enabled() {
                return get("enabled", false);
            }

            @Override
            public String url() {
                return get("url", "tcp://127.0.0.1:1883");
            }

            @Override
            public String client_id() {
                return get("client.id", "rosetta-northbound");
            }

            @Override
            public String username() {
                return get("username", "");
            }

            @Override
            public String password() {
                return get("password", "");
            }

            @Override
            public int qos() {
                return get("qos", 1);
            }

            @Override
            public String topic_prefix() {
                return get("topic.prefix", "rosetta");
            }

            @Override
            public String namespaces() {
                return get("namespaces", "");
            }

            @Override
            public boolean clean_session() {
                return get("clean.session", true);
            }

            @Override
            public int keep_alive_seconds() {
                return get("keep.alive.seconds", 60);
            }

            @Override
            public int connect_timeout_seconds() {
                return get("connect.timeout.seconds", 5);
            }

            @Override
            public int max_inflight() {
                return get("max.inflight", 1000);
            }

            @Override
            public int queue_capacity() {
                return get("queue.capacity", 10_000);
            }

            @Override
            public int command_queue_capacity() {
                return get("command.queue.capacity", 1000);
            }

            @Override
            public int max_command_bytes() {
                return get("max.command.bytes", 262_144);
            }
        };
    }

    @Override
    public void close() {
        if (northbound != null) {
            northbound.close();
        }
        registry.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
