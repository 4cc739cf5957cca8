package io.rosetta.search.internal;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.api.openapi.ResourceDocumentation;
import org.osgi.service.component.annotations.Component;

/** The search's part of the API's OpenAPI document: {@code /api/2/search/things} and its count ({@code openapi.json} next to this class). */
@Component(service = ApiDocumentation.class)
public final class SearchDocumentation extends ResourceDocumentation {

    public SearchDocumentation() {
        super("rosetta-search");
    }
}
