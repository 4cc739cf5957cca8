package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;
import io.rosetta.binding.coap.internal.json.JsonMapping;
import io.rosetta.binding.coap.internal.json.JsonMappings;
import io.rosetta.binding.coap.internal.json.JsonReadingMapper;
import io.rosetta.binding.coap.internal.senml.SenmlDecoder;
import io.rosetta.binding.coap.internal.senml.SenmlException;
import io.rosetta.binding.coap.internal.senml.SenmlMapper;
import io.rosetta.binding.coap.internal.senml.SenmlRecord;
import io.rosetta.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A reading from an endpoint, from payload to twin: the endpoint must be registered and the peer allowed
 * to speak for it; the payload must be SenML JSON or CBOR (records resolved and mapped onto the endpoint's
 * model), or plain JSON read through a JSON mapping of the model; the result is reported. Any refusal
 * leaves the twin untouched.
 */
public final class ReadingIngest {

    /** {@code application/senml+json} (RFC 8428). */
    public static final int SENML_JSON = 110;
    /** {@code application/senml+cbor} (RFC 8428). */
    public static final int SENML_CBOR = 112;
    /** {@code application/json} (RFC 7252), read through a {@link JsonMapping}. */
    public static final int JSON = 50;

    private final CoapRuntime runtime;
    private final ResourceDirectory directory;
    private final SenmlDecoder decoder;
    private final SenmlMapper mapper;
    private final JsonMappings jsonMappings;
    private final JsonReadingMapper jsonMapper;

    ReadingIngest(CoapRuntime runtime, ResourceDirectory directory, SenmlDecoder decoder, SenmlMapper mapper,
                  JsonMappings jsonMappings, JsonReadingMapper jsonMapper) {
        this.runtime = runtime;
        this.directory = directory;
        this.decoder = decoder;
        this.mapper = mapper;
        this.jsonMappings = jsonMappings;
        this.jsonMapper = jsonMapper;
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
        directory.admission().reading(r);
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
        Map<String, JsonObject> features = switch (contentFormat) {
            case SENML_JSON, SENML_CBOR -> senml(r, defaultName, contentFormat, payload);
            case JSON -> jsonMapper.map(jsonMapping(r), payload);
            default -> throw new RejectedException(RejectReason.UNSUPPORTED_CONTENT_FORMAT, "readings are "
                    + "application/senml+json (110), application/senml+cbor (112) or application/json (50), not content format "
                    + contentFormat);
        };
        if (!runtime.report(r.thingId(), features)) {
            throw new RejectedException(RejectReason.REFUSED, "the twin " + r.thingId() + " refused the reading");
        }
        runtime.countAccepted();
        return features;
    }

    private Map<String, JsonObject> senml(Registration r, String defaultName, int contentFormat, byte[] payload)
            throws RejectedException {
        double now = runtime.clock().millis() / 1000.0;
        List<SenmlRecord> records;
        try {
            records = contentFormat == SENML_JSON ? decoder.decodeJson(payload, now, defaultName)
                    : decoder.decodeCbor(payload, now, defaultName);
        } catch (SenmlException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
        if (records.isEmpty()) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "the SenML pack has no records");
        }
        return mapper.map(r.model(), records);
    }

    /** The mapping the endpoint registered with, else its model's default; none: the device must send SenML (4.15). */
    private JsonMapping jsonMapping(Registration r) throws RejectedException {
        if (r.jsonMapping() != null) {
            return jsonMappings.named(r.jsonMapping()).orElseThrow(() -> new RejectedException(RejectReason.UNSUPPORTED_CONTENT_FORMAT,
                    "the JSON mapping '" + r.jsonMapping() + "' is no longer available"));
        }
        return jsonMappings.forModel(r.model()).orElseThrow(() -> new RejectedException(RejectReason.UNSUPPORTED_CONTENT_FORMAT,
                "there is no JSON mapping for " + r.model() + ": send SenML (110, 112)"));
    }
}
