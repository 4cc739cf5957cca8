package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.internal.senml.SenmlMapper;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binding's side of one registration: observations (RFC 7641) of the endpoint's observable
 * resources, and confirmable PUTs of desired state to its writable ones, all sent from the server
 * endpoint the registration came in on (so a DTLS device is reached through its own session).
 */
final class DeviceSession {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSession.class);

    private final Registration registration;
    private final DeviceChannel channel;
    private final Endpoint endpoint;
    private final List<CoapObserveRelation> observations = new ArrayList<>();

    DeviceSession(Registration registration, DeviceChannel channel) {
        this.registration = registration;
        this.channel = channel;
        this.endpoint = channel.endpoint(registration);
    }

    Registration registration() {
        return registration;
    }

    /** Observes every link registered with {@code obs}; what they send is mapped onto the twin. */
    synchronized void observe() {
        for (Registration.Link link : registration.links()) {
            if (!link.observable()) {
                continue;
            }
            Request get = Request.newGet();
            get.setObserve();
            observations.add(client(link.path()).observe(get, new CoapHandler() {
                @Override
                public void onLoad(CoapResponse response) {
                    notified(link, response);
                }

                @Override
                public void onError() {
                    LOG.debug("observing {}{} failed", registration.base(), link.path());
                }
            }));
        }
    }

    private void notified(Registration.Link link, CoapResponse response) {
        byte[] payload = response.getPayload();
        if (!response.isSuccess() || payload == null || payload.length == 0) {
            return;
        }
        int format = response.getOptions().getContentFormat();
        try {
            channel.notification(registration, defaultName(link), format, payload);
        } catch (RejectedException e) {
            channel.refused(registration, link.path(), format, payload, e);
        }
    }

    /** The link that carries {@code feature/property}: by its resource type, its path, or its last path segment. */
    Registration.Link writable(String feature, String property) {
        for (Registration.Link link : registration.links()) {
            for (String candidate : candidates(link)) {
                String[] t = SenmlMapper.target(candidate);
                if (t[0].equals(feature) && t[1].equals(property)) {
                    return link;
                }
            }
        }
        return null;
    }

    /**
     * Sends a desired value as SenML JSON in a confirmable PUT (retransmitted by Californium); completes
     * with whether the device answered 2.xx, exceptionally with a {@link TimeoutException} when it never
     * answered.
     */
    CompletionStage<Boolean> put(Registration.Link link, ThingModel model, String feature, String property, JsonValue value) {
        PropertyModel p = SenmlMapper.property(model, feature, property);
        JsonObject.Builder record = JsonObject.newBuilder().set("n", JsonString.of(defaultName(link)));
        if (value instanceof JsonBoolean) {
            record.set("vb", value);
        } else if (value instanceof JsonNumber) {
            record.set("v", value);
            if (p != null && p.unit() != null) {
                record.set("u", JsonString.of(p.unit()));
            }
        } else {
            record.set("vs", JsonString.of(value instanceof JsonString s ? s.value() : Json.write(value)));
        }
        Request put = Request.newPut();
        put.setPayload(Json.write(JsonArray.of(List.of(record.build()))).getBytes(StandardCharsets.UTF_8));
        put.getOptions().setContentFormat(ReadingIngest.SENML_JSON);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        client(link.path()).advanced(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                done.complete(response.isSuccess());
            }

            @Override
            public void onError() {
                done.completeExceptionally(new TimeoutException("no answer to PUT " + registration.base() + link.path()));
            }
        }, put);
        return done;
    }

    /** Stops the observations locally (the device gets a reset on its next notification). */
    synchronized void close() {
        observations.forEach(CoapObserveRelation::reactiveCancel);
        observations.clear();
    }

    private CoapClient client(String path) {
        CoapClient c = new CoapClient(registration.base() + (path.startsWith("/") ? path : "/" + path));
        c.setEndpoint(endpoint);
        return c;
    }

    /** The name of a resource's records: its resource type if it has one, else its last path segment. */
    static String defaultName(Registration.Link link) {
        if (link.resourceType() != null && !link.resourceType().isEmpty()) {
            return link.resourceType();
        }
        String path = link.path();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static List<String> candidates(Registration.Link link) {
        List<String> c = new ArrayList<>();
        if (link.resourceType() != null) {
            c.add(link.resourceType());
        }
        String path = link.path().startsWith("/") ? link.path().substring(1) : link.path();
        c.add(path);
        c.add(path.substring(path.lastIndexOf('/') + 1));
        return c;
    }
}
