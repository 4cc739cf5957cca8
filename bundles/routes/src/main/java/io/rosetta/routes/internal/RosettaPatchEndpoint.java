package io.rosetta.routes.internal;

import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code rosetta:patch}: applies the message body, a JSON merge patch (RFC 7396), to a twin — as
 * {@code PATCH /api/2/things/<id><path>} does, through the registry's one writer path (validation against the twin's model,
 * the journal, a new revision, an event). Options, each overridden per message by its header:
 * <ul>
 * <li>{@code thingId} — the twin ({@code namespace:name}); header {@value RosettaHeaders#THING_ID};</li>
 * <li>{@code path} — where in the twin the patch applies, a JSON pointer such as {@code /features/lamp/properties};
 * default {@code /} (the whole twin); header {@value RosettaHeaders#PATH}.</li>
 * </ul>
 * Afterwards the body is the twin as JSON and {@value RosettaHeaders#REVISION} its revision. A refused patch (no or an
 * invalid thing id, invalid JSON, a twin that does not exist, a value its model does not allow) fails the exchange with the
 * registry's error and changes nothing.
 */
public final class RosettaPatchEndpoint extends DefaultEndpoint {

    static final String KIND = "patch";

    private String thingId;
    private String path;
    private ThingId fixedThingId;
    private JsonPointer fixedPath = JsonPointer.empty();

    RosettaPatchEndpoint(String uri, RosettaComponent component) {
        super(uri, component);
    }

    @Override
    public RosettaComponent getComponent() {
        return (RosettaComponent) super.getComponent();
    }

    void prepare() {
        if (thingId != null && !thingId.isBlank()) {
            try {
                fixedThingId = ThingId.of(thingId.strip());
            } catch (TwinException e) {
                throw new IllegalArgumentException("rosetta:patch has an invalid thingId '" + thingId + "': " + e.getMessage(), e);
            }
        }
        if (path != null && !path.isBlank()) {
            try {
                fixedPath = JsonPointer.of(path.strip());
            } catch (InvalidJsonPointerException e) {
                throw new IllegalArgumentException("rosetta:patch has an invalid path '" + path + "': " + e.getMessage(), e);
            }
        }
    }

    ThingId fixedThingId() {
        return fixedThingId;
    }

    JsonPointer fixedPath() {
        return fixedPath;
    }

    @Override
    public Producer createProducer() {
        return new RosettaPatchProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("rosetta:patch only applies patches (use it in to:); for twin events use rosetta:events");
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    public String getThingId() {
        return thingId;
    }

    public void setThingId(String thingId) {
        this.thingId = thingId;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }
}
