package io.rosetta.api.internal;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAPI document served at {@code /api/2/openapi.json}: the API's own document merged with the fragments of
 * every registered {@link ApiDocumentation}, in the order they came. A path, a component (per section) or a tag that
 * the document already has is left out, with one warning that names both contributors; a fragment that cannot be
 * read is left out whole. The merged bytes are kept until the contributions change.
 */
final class OpenApiDocument {

    static final String BASE_CONTRIBUTOR = "rosetta-api";

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiDocument.class);

    private final JsonObject base;
    private final List<ApiDocumentation> contributions = new CopyOnWriteArrayList<>();
    private volatile byte[] merged;

    OpenApiDocument(JsonObject base) {
        this.base = base;
    }

    // synchronized with the rebuild in bytes(): a change never leaves a document built before it in the cache
    synchronized void add(ApiDocumentation contribution) {
        contributions.add(contribution);
        merged = null;
    }

    synchronized void remove(ApiDocumentation contribution) {
        contributions.remove(contribution);
        merged = null;
    }

    /** The merged document, as UTF-8 JSON. */
    byte[] bytes() {
        byte[] b = merged;
        if (b == null) {
            synchronized (this) {
                b = merged;
                if (b == null) {
                    b = Json.writeBytes(merge(base, contributions));
                    merged = b;
                }
            }
        }
        return b;
    }

    static JsonObject merge(JsonObject base, List<ApiDocumentation> contributions) {
        Merge m = new Merge(base);
        for (ApiDocumentation c : contributions) {
            JsonObject fragment;
            String name;
            try {
                name = c.name();
                fragment = c.openApiFragment();
            } catch (RuntimeException e) {
                LOG.warn("The OpenAPI fragment of {} cannot be read and is left out of /api/2/openapi.json", c, e);
                continue;
            }
            m.add(name, fragment);
        }
        return m.document;
    }

    /** One merge: the document so far and who contributed each of its names. */
    private static final class Merge {

        private JsonObject document;
        private final Map<String, String> owners = new HashMap<>();

        Merge(JsonObject base) {
            document = base;
            object(base, "paths").keys().forEach(p -> owners.put("path " + p, BASE_CONTRIBUTOR));
            JsonObject components = object(base, "components");
            for (String section : components.keys()) {
                object(components, section).keys().forEach(n -> owners.put("components/" + section + "/" + n, BASE_CONTRIBUTOR));
            }
            for (String tag : tagNames(base)) {
                owners.put("tag " + tag, BASE_CONTRIBUTOR);
            }
        }

        void add(String contributor, JsonObject fragment) {
            if (!(fragment.getOrNull("paths") instanceof JsonObject paths)) {
                LOG.warn("The OpenAPI fragment of {} has no paths object and is left out of /api/2/openapi.json", contributor);
                return;
            }
            document = document.set("paths", added(contributor, object(document, "paths"), paths, "path "));
            if (fragment.getOrNull("components") instanceof JsonObject components) {
                JsonObject into = object(document, "components");
                for (int i = 0; i < components.size(); i++) {
                    String section = components.keyAt(i);
                    if (components.valueAt(i) instanceof JsonObject entries) {
                        into = into.set(section, added(contributor, object(into, section), entries, "components/" + section + "/"));
                    }
                }
                document = document.set("components", into);
            }
            if (fragment.getOrNull("tags") instanceof JsonArray tags) {
                List<JsonValue> all = new ArrayList<>();
                document.get("tags").map(JsonValue::asArray).ifPresent(a -> a.forEach(all::add));
                for (JsonValue tag : tags) {
                    if (tag instanceof JsonObject t && t.getOrNull("name") instanceof JsonString n && claim(contributor, "tag " + n.value())) {
                        all.add(t);
                    }
                }
                document = document.set("tags", JsonArray.of(all));
            }
        }

        private JsonObject added(String contributor, JsonObject existing, JsonObject entries, String kind) {
            JsonObject out = existing;
            for (int i = 0; i < entries.size(); i++) {
                if (claim(contributor, kind + entries.keyAt(i))) {
                    out = out.set(entries.keyAt(i), entries.valueAt(i));
                }
            }
            return out;
        }

        /** Whether the name is free; if not, warns once, naming both contributors. */
        private boolean claim(String contributor, String name) {
            String owner = owners.putIfAbsent(name, contributor);
            if (owner == null) {
                return true;
            }
            LOG.warn("The OpenAPI fragment of {} documents {}, which {} documents already: left out of /api/2/openapi.json", contributor, name,
                    owner);
            return false;
        }

        private static List<String> tagNames(JsonObject o) {
            List<String> out = new ArrayList<>();
            if (o.getOrNull("tags") instanceof JsonArray tags) {
                for (JsonValue t : tags) {
                    if (t instanceof JsonObject to && to.getOrNull("name") instanceof JsonString n) {
                        out.add(n.value());
                    }
                }
            }
            return out;
        }

        private static JsonObject object(JsonObject o, String key) {
            return o.getOrNull(key) instanceof JsonObject v ? v : JsonObject.empty();
        }
    }
}
