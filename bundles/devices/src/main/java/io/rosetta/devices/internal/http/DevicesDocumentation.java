package io.rosetta.devices.internal.http;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.core.json.JsonObject;
import org.osgi.service.component.annotations.Component;

/** The device administration's part of the API's OpenAPI document: {@code /api/2/devices} ({@code openapi.json} next to this class). */
@Component(service = ApiDocumentation.class)
public final class DevicesDocumentation implements ApiDocumentation {

    private final JsonObject fragment = ApiDocumentation.resource(DevicesDocumentation.class, "openapi.json");

    @Override
    public String name() {
        return "rosetta-devices";
    }

    @Override
    public JsonObject openApiFragment() {
        return fragment;
    }
}
