package io.rosetta.devices.internal.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/** Counters of the device admin API: requests answered, and refusals by status and error code ({@code "409 devices:lifecycle.transition.invalid"}). */
@Component(service = DevicesMetrics.class)
public final class DevicesMetrics {

    private static final int MAX_KEYS = 64;

    private final LongAdder answered = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusals = new ConcurrentHashMap<>();

    void answer() {
        answered.increment();
    }

    void refused(int status, String errorCode) {
        String key = status + " " + errorCode;
        LongAdder c = refusals.get(key);
        if (c == null) {
            c = refusals.size() < MAX_KEYS ? refusals.computeIfAbsent(key, k -> new LongAdder())
                    : refusals.computeIfAbsent(status + " other", k -> new LongAdder());
        }
        c.increment();
    }

    public long answered() {
        return answered.sum();
    }

    public long refusals(int status, String errorCode) {
        LongAdder c = refusals.get(status + " " + errorCode);
        return c == null ? 0 : c.sum();
    }

    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
