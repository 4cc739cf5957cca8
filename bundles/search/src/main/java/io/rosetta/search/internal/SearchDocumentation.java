package io.rosetta.search.internal;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.core.json.JsonObject;
import org.osgi.service.component.annotations.Component;

/** The search's part of the API's OpenAPI document: {@code /api/2/search/things} and its count ({@code openapi.json} next to this class). */
@Component(service = ApiDocumentation.class)
public final class SearchDocumentation implements ApiDocumentation {

    private final JsonObject fragment = ApiDocumentation.resource(SearchDocumentation.class, "openapi.json");

    @Override
    public String name() {
        return "rosetta-search";
    }

    @Override
    public JsonObject openApiFragment() {
        return fragment;
    }
}
