package io.rosetta.api.openapi;

import io.rosetta.core.json.JsonObject;

/**
 * A bundle's part of the API's OpenAPI document, shipped as {@code openapi.json} next to the contributing class. A
 * contribution is a DS component class of its own bundle (annotated {@code Component(service = ApiDocumentation.class)})
 * that extends this class and passes its name; the constructor throws {@link IllegalStateException} when the resource
 * is missing.
 */
public abstract class ResourceDocumentation implements ApiDocumentation {

    private final String name;
    private final JsonObject fragment;

    protected ResourceDocumentation(String name) {
        this.name = name;
        this.fragment = ApiDocumentation.resource(getClass(), "openapi.json");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final JsonObject openApiFragment() {
        return fragment;
    }
}
