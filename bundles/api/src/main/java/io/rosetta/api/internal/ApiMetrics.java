package io.rosetta.api.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final String OTHER = "other";

    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder unauthenticated = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();

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
        String key = status + " " + errorCode;
        LongAdder counter = errors.get(key);
        if (counter == null) {
            counter = errors.size() < MAX_KEYS ? errors.computeIfAbsent(key, k -> new LongAdder())
                    : errors.computeIfAbsent(status + " " + OTHER, k -> new LongAdder());
        }
        counter.increment();
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
        LongAdder counter = errors.get(status + " " + errorCode);
        return counter == null ? 0 : counter.sum();
    }

    /** All refusals so far, keyed {@code "<status> <error code>"}, sorted. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
