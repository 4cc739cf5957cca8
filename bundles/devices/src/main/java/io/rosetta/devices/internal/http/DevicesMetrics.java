package io.rosetta.devices.internal.http;

import io.rosetta.core.metrics.RefusalCounters;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/** Counters of the device admin API: requests answered, and refusals by status and error code ({@code "409 devices:lifecycle.transition.invalid"}). */
@Component(service = DevicesMetrics.class)
public final class DevicesMetrics {

    private static final int MAX_KEYS = 64;

    private final LongAdder answered = new LongAdder();
    private final RefusalCounters refusals = new RefusalCounters(MAX_KEYS);

    void answer() {
        answered.increment();
    }

    void refused(int status, String errorCode) {
        refusals.increment(status, errorCode);
    }

    public long answered() {
        return answered.sum();
    }

    public long refusals(int status, String errorCode) {
        return refusals.get(status, errorCode);
    }

    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }
}
