package io.rosetta.search.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import java.time.Instant;

/** Things for tests, from Ditto JSON. */
final class Things {

    private Things() {
    }

    static Thing of(String json) {
        return Thing.fromJson(Json.parseObject(json), null);
    }

    static Thing of(String json, long revision, String modified) {
        long t = Instant.parse(modified).toEpochMilli();
        return of(json).toBuilder().revision(revision).created(t).modified(t).build();
    }
}
