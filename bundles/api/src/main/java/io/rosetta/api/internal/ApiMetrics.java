package io.rosetta.api.internal;

import io.rosetta.core.metrics.RefusalCounters;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/**
 * Counters of the API: answered requests by outcome, and refusals by status and Ditto error code
 * ({@code "400 json.invalid"}, {@code "415 mediatype.unsupported"}, ...).
 */
@Component(service = ApiMetrics.class)
public final class ApiMetrics {

    /** Distinct (status, error) keys kept at most; error codes are the API's own constants, so this is a safety net. */
    private static final int MAX_KEYS = 256;

    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder unauthenticated = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final RefusalCounters refusals = new RefusalCounters(MAX_KEYS);

    void answered(int status) {
        if (status == 401) {
            unauthenticated.increment();
        } else if (status >= 500) {
            serverErrors.increment();
        } else if (status >= 400) {
            clientErrors.increment();
        } else {
            ok.increment();
        }
    }

    /** A refused request: counted by outcome and by status and error code. */
    void refused(int status, String errorCode) {
        answered(status);
        refusals.increment(status, errorCode);
    }

    public long ok() {
        return ok.sum();
    }

    public long clientErrors() {
        return clientErrors.sum();
    }

    public long unauthenticated() {
        return unauthenticated.sum();
    }

    public long serverErrors() {
        return serverErrors.sum();
    }

    /** How often a request was refused with this status and error code. */
    public long refusals(int status, String errorCode) {
        return refusals.get(status, errorCode);
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        return refusals.snapshot();
    }
}
