package io.rosetta.api.internal;

import io.rosetta.core.model.TwinException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The query string of a request, decoded. Read from the raw query rather than from Camel headers,
 * where query parameters and request headers share one namespace.
 */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters parse(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.putIfAbsent(name, value);
            }
        }
        return new QueryParameters(values);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new TwinException(400, "things:query.invalid", "The query string has a malformed %-escape: '" + s + "'.",
                    "Percent-encode reserved characters as %XX with two hex digits.");
        }
    }
}
