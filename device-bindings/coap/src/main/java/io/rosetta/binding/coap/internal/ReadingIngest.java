package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.senml.SenmlDecoder;
import io.rosetta.binding.coap.internal.senml.SenmlException;
import io.rosetta.binding.coap.internal.senml.SenmlMapper;
import io.rosetta.binding.coap.internal.senml.SenmlRecord;
import io.rosetta.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A reading from an endpoint, from payload to twin: the endpoint must be registered and the peer allowed
 * to speak for it; the payload must be SenML JSON or CBOR; the records are resolved, mapped onto the
 * endpoint's model and reported. Any refusal leaves the twin untouched.
 */
public final class ReadingIngest {

    /** {@code application/senml+json} (RFC 8428). */
    public static final int SENML_JSON = 110;
    /** {@code application/senml+cbor} (RFC 8428). */
    public static final int SENML_CBOR = 112;

    private final CoapRuntime runtime;
    private final ResourceDirectory directory;
    private final SenmlDecoder decoder;
    private final SenmlMapper mapper;

    ReadingIngest(CoapRuntime runtime, ResourceDirectory directory, SenmlDecoder decoder, SenmlMapper mapper) {
        this.runtime = runtime;
        this.directory = directory;
        this.decoder = decoder;
        this.mapper = mapper;
    }

    /** Maps and reports a reading; returns the features reported. */
    public Map<String, JsonObject> accept(String endpoint, String identity, int contentFormat, byte[] payload)
            throws RejectedException {
        runtime.countReceived();
        if (endpoint == null) {
            throw new RejectedException(RejectReason.UNKNOWN_ENDPOINT, "readings go to /dev/<endpoint>");
        }
        Registration r = directory.endpoint(endpoint).orElseThrow(() -> new RejectedException(RejectReason.UNKNOWN_ENDPOINT,
                "endpoint '" + endpoint + "' is not registered"));
        directory.authorize(endpoint, identity);
        return map(r, null, contentFormat, payload);
    }

    /**
     * Maps and reports a notification (RFC 7641) or a response of an observed resource; records
     * without a name take {@code defaultName}.
     */
    public Map<String, JsonObject> notification(Registration r, String defaultName, int contentFormat, byte[] payload)
            throws RejectedException {
        runtime.countReceived();
        return map(r, defaultName, contentFormat, payload);
    }

    private Map<String, JsonObject> map(Registration r, String defaultName, int contentFormat, byte[] payload)
            throws RejectedException {
        double now = runtime.clock().millis() / 1000.0;
        List<SenmlRecord> records;
        try {
            records = switch (contentFormat) {
                case SENML_JSON -> decoder.decodeJson(payload, now, defaultName);
                case SENML_CBOR -> decoder.decodeCbor(payload, now, defaultName);
                default -> throw new RejectedException(RejectReason.UNSUPPORTED_CONTENT_FORMAT,
                        "readings are application/senml+json (110) or application/senml+cbor (112), not content format " + contentFormat);
            };
        } catch (SenmlException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
        if (records.isEmpty()) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "the SenML pack has no records");
        }
        Map<String, JsonObject> features = mapper.map(r.model(), records);
        if (!runtime.report(r.thingId(), features)) {
            throw new RejectedException(RejectReason.REFUSED, "the twin " + r.thingId() + " refused the reading");
        }
        runtime.countAccepted();
        return features;
    }
}
