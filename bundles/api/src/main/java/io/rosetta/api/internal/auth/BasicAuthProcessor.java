package io.rosetta.api.internal.auth;

import io.rosetta.api.internal.RequestHeaders;
import io.rosetta.api.security.ApiUser;
import io.rosetta.api.security.Authenticator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of every API route: authenticates the request's {@code Authorization} header and
 * stores the user as the exchange property {@value #USER}; refuses the exchange with a 401
 * {@link io.rosetta.core.model.TwinException} otherwise. Camel runs platform-http routes on Vert.x
 * worker threads, so the (rare, cached) blocking JAAS login does not stall the event loop.
 */
public final class BasicAuthProcessor implements Processor {

    public static final String USER = "rosetta.user";

    private final Authenticator authenticator;

    public BasicAuthProcessor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void process(Exchange exchange) {
        ApiUser user = authenticator.authenticate(RequestHeaders.get(exchange.getMessage(), "Authorization"));
        exchange.setProperty(USER, user);
    }
}
