package io.rosetta.api.ditto;

import io.rosetta.core.model.ThingId;

/**
 * The topic of a Ditto protocol envelope for things:
 * {@code <namespace>/<name>/things/<channel>/<criterion>[/<action>]}, for example
 * {@code org.example/lamp-1/things/twin/commands/modify} or {@code org.example/lamp-1/things/twin/errors}.
 * {@code _/_} stands for "no particular thing" (errors about an envelope that could not be read).
 */
public record DittoTopic(String namespace, String name, String channel, String criterion, String action) {

    public static final String TWIN = "twin";
    public static final String COMMANDS = "commands";
    public static final String EVENTS = "events";
    public static final String ERRORS = "errors";
    private static final String NONE = "_";

    /** The topic of errors that concern no particular thing. */
    public static DittoTopic unknownThingErrors() {
        return new DittoTopic(NONE, NONE, TWIN, ERRORS, null);
    }

    /** The topic about a thing; the empty (default) namespace is written {@code _}, as {@link #thingId()} reads it. */
    public static DittoTopic of(ThingId id, String criterion, String action) {
        return new DittoTopic(id.namespace().isEmpty() ? NONE : id.namespace(), id.name(), TWIN, criterion, action);
    }

    /**
     * Parses a topic; a thing's name may not contain '/', so the segments are unambiguous.
     *
     * @throws DittoProtocolException 400 {@code things.protocol.adapter:unknown.topicpath}
     */
    public static DittoTopic parse(String topic) {
        String[] parts = topic.split("/", -1);
        if (parts.length < 5 || parts.length > 6) {
            throw DittoProtocolException.unknownTopic(topic);
        }
        for (String p : parts) {
            if (p.isEmpty()) {
                throw DittoProtocolException.unknownTopic(topic);
            }
        }
        if (!parts[2].equals("things")) {
            throw DittoProtocolException.unknownTopic(topic);
        }
        String action = parts.length == 6 ? parts[5] : null;
        return new DittoTopic(parts[0], parts[1], parts[3], parts[4], action);
    }

    /** The thing this topic names; {@code _} as namespace stands for the empty (default) namespace. */
    public ThingId thingId() {
        return ThingId.of(NONE.equals(namespace) ? "" : namespace, name);
    }

    public DittoTopic withCriterion(String newCriterion, String newAction) {
        return new DittoTopic(namespace, name, channel, newCriterion, newAction);
    }

    @Override
    public String toString() {
        String base = namespace + "/" + name + "/things/" + channel + "/" + criterion;
        return action == null ? base : base + "/" + action;
    }
}
