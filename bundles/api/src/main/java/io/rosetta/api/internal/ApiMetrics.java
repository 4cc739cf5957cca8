package io.rosetta.api.internal;

import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Component;

/** Counters of the API: answered requests by outcome. */
@Component(service = ApiMetrics.class)
public final class ApiMetrics {

    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder unauthenticated = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();

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
}
