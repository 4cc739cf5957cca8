package io.rosetta.api.internal;

import io.rosetta.core.model.ThingId;

/**
 * The API's settings, from {@code etc/io.rosetta.api.cfg} ({@link ApiConfig}).
 *
 * @param defaultNamespace the namespace of things created by {@code POST /api/2/things}
 * @param maxBodyBytes the largest request body accepted; larger ones are refused with 413
 */
record ApiSettings(String defaultNamespace, long maxBodyBytes) {

    static final ApiSettings DEFAULTS = new ApiSettings("default", 100 * 1024);

    ApiSettings {
        // validated as a thing id's namespace would be, so that POST never generates invalid ids
        ThingId.of(defaultNamespace, "x");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("http.max.body.bytes must be positive: " + maxBodyBytes);
        }
    }

    static ApiSettings of(ApiConfig config) {
        return new ApiSettings(config.things_default_namespace().trim(), config.http_max_body_bytes());
    }
}
