package io.rosetta.binding.coap;

/** Why the CoAP binding refused a request from a device. */
public enum RejectReason {
    /** The payload is not well-formed SenML JSON or SenML CBOR (4.00). */
    MALFORMED_PAYLOAD,
    /** A content format the resource does not read (4.15). */
    UNSUPPORTED_CONTENT_FORMAT,
    /** A value has the wrong type for its model property (4.00). */
    WRONG_TYPE,
    /** A value outside the model property's range or enumeration (4.00). */
    OUT_OF_RANGE,
    /** The unit of a value cannot be converted into the model's unit (4.00). */
    UNIT,
    /** A SenML name that the device's model has no property for (4.00). */
    UNKNOWN_PROPERTY,
    /** An endpoint that is not registered, or a registration resource that does not exist (4.04). */
    UNKNOWN_ENDPOINT,
    /** A DTLS identity that may not speak for the endpoint, or a plain request where DTLS is required (4.03). */
    FORBIDDEN,
    /** A registration without a valid endpoint name, lifetime, model or link-format payload (4.00). */
    BAD_REGISTRATION,
    /** The twin registry refused the report (model validation); the twin is unchanged (4.00). */
    REFUSED,
    /** The device could not be attached (e.g. its twin is decommissioned) (4.03). */
    ATTACH_REFUSED,
    /** The device registry does not admit the device's data: it is suspended or decommissioned there (4.03). */
    NOT_ADMITTED
}
