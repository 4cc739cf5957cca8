package io.rosetta.search.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of a search request ({@code filter}, {@code option}, {@code fields},
 * {@code namespaces}), read from the raw query string, or from an
 * {@code application/x-www-form-urlencoded} body on {@code POST} as Ditto accepts them.
 * One of them given twice is refused rather than guessed at; other parameters are ignored, as Ditto ignores them.
 */
final class SearchRequest {

    private static final Set<String> KNOWN = Set.of("filter", "option", "fields", "namespaces");

    private final Map<String, String> values;

    private SearchRequest(Map<String, String> values) {
        this.values = values;
    }

    static SearchRequest parse(String rawQuery, String formBody) {
        Map<String, String> values = new HashMap<>();
        add(values, rawQuery);
        add(values, formBody);
        return new SearchRequest(values);
    }

    private static void add(Map<String, String> values, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!KNOWN.contains(name)) {
                continue; // as Ditto: other parameters (timeout, ...) do not change a search
            }
            if (values.putIfAbsent(name, value) != null) {
                throw SearchErrors.invalidParameter("The parameter '" + name + "' is given more than once.");
            }
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SearchErrors.invalidParameter("The query string has a malformed %-escape: '" + s + "'.");
        }
    }

    String get(String name) {
        return values.get(name);
    }
}
