package io.rosetta.api.ditto;

import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.TwinException;

/**
 * A Ditto protocol message ("envelope"): {@code topic}, {@code headers}, {@code path}, and as
 * the message needs them {@code value}, {@code status}, {@code fields}, {@code revision},
 * {@code timestamp}, {@code extra}. Read and written with the core's JSON.
 *
 * @param value {@code null} when the envelope has none
 * @param status 0 when the envelope has none
 * @param fields {@code null} when the envelope has none
 * @param revision -1 when the envelope has none
 * @param timestamp {@code null} when the envelope has none
 * @param extra {@code null} when the envelope has none
 */
public record DittoEnvelope(DittoTopic topic, JsonObject headers, JsonPointer path, JsonValue value, int status, String fields,
                            long revision, String timestamp, JsonObject extra) {

    public static final String CORRELATION_ID = "correlation-id";

    public DittoEnvelope {
        headers = headers == null ? JsonObject.empty() : headers;
        path = path == null ? JsonPointer.empty() : path;
    }

    /** A response or event: no fields, revision, timestamp or extra. */
    public static DittoEnvelope of(DittoTopic topic, JsonObject headers, JsonPointer path, JsonValue value, int status) {
        return new DittoEnvelope(topic, headers, path, value, status, null, -1, null, null);
    }

    /**
     * Reads an envelope.
     *
     * @throws DittoProtocolException 400 when the text is not JSON or not an envelope
     */
    public static DittoEnvelope parse(String text) {
        JsonValue json;
        try {
            json = Json.parse(text);
        } catch (InvalidJsonException e) {
            throw DittoProtocolException.invalidJson(e.getMessage());
        }
        if (!(json instanceof JsonObject o)) {
            throw DittoProtocolException.invalidEnvelope("it must be a JSON object but was " + json.typeName() + ".");
        }
        JsonObject headers = o.getOrNull("headers") instanceof JsonObject h ? h : null;
        if (headers == null && o.contains("headers")) {
            throw DittoProtocolException.invalidEnvelope("'headers' must be a JSON object.");
        }
        if (!(o.getOrNull("topic") instanceof JsonString topicText)) {
            throw DittoProtocolException.invalidEnvelope("'topic' is missing or not a string.");
        }
        DittoTopic topic = DittoTopic.parse(topicText.value());
        JsonPointer path;
        JsonValue pathValue = o.getOrNull("path");
        if (pathValue == null) {
            path = JsonPointer.empty();
        } else if (pathValue instanceof JsonString s) {
            try {
                path = JsonPointer.of(s.value());
            } catch (InvalidJsonPointerException e) {
                throw new DittoProtocolException(400, "json.pointer.invalid", e.getMessage(),
                        "Check, for example, if the JSON Pointer is not empty and has no consecutive or trailing slashes.");
            }
        } else {
            throw DittoProtocolException.invalidEnvelope("'path' must be a string.");
        }
        int status = 0;
        if (o.getOrNull("status") instanceof JsonNumber n) {
            status = (int) n.longValue();
        }
        String fields = null;
        JsonValue fieldsValue = o.getOrNull("fields");
        if (fieldsValue instanceof JsonString s) {
            fields = s.value();
        } else if (fieldsValue != null) {
            throw DittoProtocolException.invalidEnvelope("'fields' must be a string such as \"thingId,attributes\".");
        }
        return new DittoEnvelope(topic, headers, path, o.getOrNull("value"), status, fields, -1, null, null);
    }

    /** The {@code correlation-id} header, or {@code null}. */
    public String correlationId() {
        return headers.getOrNull(CORRELATION_ID) instanceof JsonString s ? s.value() : null;
    }

    /** A header as text (strings as they are, other JSON as written), or {@code null}. */
    public String header(String name) {
        JsonValue v = headers.getOrNull(name);
        if (v == null) {
            return null;
        }
        return v instanceof JsonString s ? s.value() : Json.write(v);
    }

    /** The Ditto path text: {@code /} for the root. */
    public static String pathText(JsonPointer path) {
        return path.isEmpty() ? "/" : path.toString();
    }

    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.newBuilder().set("topic", topic.toString()).set("headers", headers).set("path", pathText(path));
        if (value != null) {
            b.set("value", value);
        }
        if (fields != null) {
            b.set("fields", fields);
        }
        if (extra != null) {
            b.set("extra", extra);
        }
        if (status != 0) {
            b.set("status", status);
        }
        if (revision >= 0) {
            b.set("revision", revision);
        }
        if (timestamp != null) {
            b.set("timestamp", timestamp);
        }
        return b.build();
    }

    public String toText() {
        return Json.write(toJson());
    }

    /** The Ditto error envelope for a refusal: topic {@code <ns>/<name>/things/twin/errors}, the error JSON as value. */
    public static DittoEnvelope error(DittoTopic about, String correlationId, TwinException e) {
        DittoTopic topic = about == null ? DittoTopic.unknownThingErrors() : about.withCriterion(DittoTopic.ERRORS, null);
        JsonObject.Builder body = JsonObject.newBuilder().set("status", e.status()).set("error", e.errorCode()).set("message", e.getMessage());
        if (e.description() != null) {
            body.set("description", e.description());
        }
        return of(topic, responseHeaders(correlationId), JsonPointer.empty(), body.build(), e.status());
    }

    static JsonObject responseHeaders(String correlationId) {
        JsonObject.Builder h = JsonObject.newBuilder();
        if (correlationId != null) {
            h.set(CORRELATION_ID, correlationId);
        }
        return h.set("content-type", "application/json").build();
    }
}
