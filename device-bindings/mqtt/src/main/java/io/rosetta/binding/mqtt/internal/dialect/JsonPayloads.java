package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.binding.mqtt.RejectReason;
import io.rosetta.binding.mqtt.internal.RejectedException;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.nio.charset.StandardCharsets;

/** Parsing device payloads with the refusals counted as {@link RejectReason#MALFORMED_PAYLOAD}. */
final class JsonPayloads {

    private JsonPayloads() {
    }

    static JsonValue parse(byte[] payload) throws RejectedException {
        try {
            return Json.parse(payload);
        } catch (InvalidJsonException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        } catch (RuntimeException e) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "Invalid JSON: " + e.getMessage());
        }
    }

    static JsonObject object(byte[] payload) throws RejectedException {
        JsonValue v = parse(payload);
        if (!(v instanceof JsonObject o)) {
            throw new RejectedException(RejectReason.MALFORMED_PAYLOAD, "expected a JSON object but found " + v.typeName());
        }
        return o;
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8).trim();
    }
}
