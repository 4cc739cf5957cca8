package io.rosetta.binding.mqtt;

/** Why the MQTT binding refused a message from a device. */
public enum RejectReason {
    /** The payload is not well-formed JSON (or not the JSON shape the dialect expects, e.g. an array for an object). */
    MALFORMED_PAYLOAD,
    /** A value has the wrong type for its model property (a string where a number belongs, "37.00" for a battery level). */
    WRONG_TYPE,
    /** A value outside the model property's range or enumeration. */
    OUT_OF_RANGE,
    /** A topic on a subscription of the binding that no dialect understands. */
    UNKNOWN_TOPIC,
    /** A payload larger than the broker connection's {@code maxPayloadBytes}. */
    OVERSIZED,
    /** A payload that no mapping of the dialect recognizes (no semantic model fits the device). */
    UNKNOWN_DEVICE,
    /** The unit of a value cannot be converted into the model's unit. */
    UNIT,
    /** The twin registry refused the report (model violation, invalid feature); the twin is unchanged. */
    REFUSED,
    /** The device could not be attached (e.g. its twin is decommissioned or the thing id is invalid). */
    ATTACH_REFUSED,
    /** The inbound queue of the broker connection (or the discovery inbox) was full: the message was shed. */
    OVERLOADED,
    /** A Sparkplug DATA or DEATH message of an edge node or device whose BIRTH the binding has not seen (a rebirth is requested). */
    NO_BIRTH,
    /** A Sparkplug metric whose alias (or name) the BIRTH of its edge node or device did not define. */
    UNKNOWN_ALIAS,
    /** The device registry refuses data of the device: it is SUSPENDED or DECOMMISSIONED. */
    NOT_ADMITTED
}
