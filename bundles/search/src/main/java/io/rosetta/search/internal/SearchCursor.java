package io.rosetta.search.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Ditto's paging cursor: an opaque token that marks the position after the last thing of a page.
 * It holds the query it belongs to (filter, sort, namespaces) and the sort values of that last
 * thing, as base64url JSON; a cursor used with another query is refused, as Ditto refuses it.
 */
final class SearchCursor {

    private static final int MAX_LENGTH = 8192;

    private SearchCursor() {
    }

    static String encode(String query, ValueKey[] position) {
        List<JsonValue> values = new ArrayList<>(position.length);
        for (ValueKey k : position) {
            values.add(k.rank == ValueKey.MISSING ? JsonObject.empty() : k.toJson());
        }
        JsonObject json = JsonObject.newBuilder().set("q", JsonString.of(query)).set("v", JsonArray.of(values)).build();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.writeBytes(json));
    }

    /**
     * The position a cursor marks.
     *
     * @throws IllegalArgumentException when the cursor is malformed or belongs to another query
     */
    static List<ValueKey> decode(String cursor, String query, int keys) {
        if (cursor.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the cursor is longer than any this server hands out");
        }
        JsonObject json;
        try {
            json = Json.parseObject(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the cursor is not one this server handed out");
        }
        if (!(json.getOrNull("q") instanceof JsonString q) || !(json.getOrNull("v") instanceof JsonArray v) || v.size() != keys) {
            throw new IllegalArgumentException("the cursor is not one this server handed out");
        }
        if (!q.value().equals(query)) {
            throw new IllegalArgumentException("the cursor belongs to another filter, sort or namespaces: repeat them as they were");
        }
        List<ValueKey> out = new ArrayList<>(keys);
        for (JsonValue item : v) {
            ValueKey k = item instanceof JsonObject ? ValueKey.MISSING_KEY : ValueKey.of(item);
            if (k == null) {
                throw new IllegalArgumentException("the cursor is not one this server handed out");
            }
            out.add(k);
        }
        return out;
    }
}
