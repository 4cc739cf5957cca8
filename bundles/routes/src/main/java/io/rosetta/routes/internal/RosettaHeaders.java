package io.rosetta.routes.internal;

/**
 * The message headers of the {@code rosetta} component. Their names carry no {@code Camel} prefix, so that
 * producers such as HTTP or Kafka pass them on to the receiver.
 */
final class RosettaHeaders {

    /** The thing ({@code namespace:name}): set on events; read by {@code rosetta:patch}, before its {@code thingId} option. */
    static final String THING_ID = "RosettaThingId";
    /** The thing's namespace, on events. */
    static final String NAMESPACE = "RosettaNamespace";
    /** The thing's revision after the change: on events and after a patch. */
    static final String REVISION = "RosettaRevision";
    /** What happened: created, modified, merged, deleted, connectivity or lifecycle. */
    static final String EVENT_TYPE = "RosettaEventType";
    /** The JSON pointer of the change ({@code /features/env/properties}): on events; read by {@code rosetta:patch}, before its {@code path} option. */
    static final String PATH = "RosettaPath";
    /** When the change was applied, ISO-8601. */
    static final String TIMESTAMP = "RosettaTimestamp";

    private RosettaHeaders() {
    }
}
