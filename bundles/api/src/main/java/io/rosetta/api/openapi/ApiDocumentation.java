package io.rosetta.api.openapi;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A part of the OpenAPI document served at {@code /api/2/openapi.json}, registered as a service by the bundle
 * that implements it. The fragment is an OpenAPI 3.0 object with {@code paths} and, optionally, {@code components}
 * ({@code schemas}, {@code parameters}, {@code responses}, ...) and {@code tags}. Its {@code $ref}s may point into
 * its own components or into the API's shared ones: the security schemes {@code basicAuth} and {@code bearerAuth},
 * the schema {@code Error} (Ditto's error body) and the responses {@code unauthorized} (401) and {@code forbidden}
 * (403). A path, component or tag name that another contribution already uses is left out of the document.
 */
public interface ApiDocumentation {

    /** Names the contributor in log messages, e.g. its bundle's symbolic name. */
    String name();

    /** The fragment; read when the document is assembled, which happens again whenever the contributions change. */
    JsonObject openApiFragment();

    /**
     * A fragment shipped as a JSON resource next to {@code owner}.
     *
     * @throws IllegalStateException when there is no such resource
     */
    static JsonObject resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing next to " + owner.getName());
            }
            return Json.parse(in).asObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
