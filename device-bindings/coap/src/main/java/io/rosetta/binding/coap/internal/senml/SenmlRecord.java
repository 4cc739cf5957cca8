package io.rosetta.binding.coap.internal.senml;

import io.rosetta.core.json.JsonValue;
import java.util.Objects;

/**
 * A resolved SenML record (RFC 8428 section 4.6): the full name, the unit (or {@code null}), the value
 * ({@code JsonNumber}, {@code JsonString}, {@code JsonBoolean}; a data value as its base64url text) or
 * {@code null} when the record only has a sum, the sum (or {@code null}), and the absolute time in
 * seconds since the epoch.
 */
public record SenmlRecord(String name, String unit, JsonValue value, Double sum, double time) {

    public SenmlRecord {
        Objects.requireNonNull(name, "name");
    }
}
