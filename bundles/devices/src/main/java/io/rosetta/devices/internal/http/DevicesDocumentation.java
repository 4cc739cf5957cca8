package io.rosetta.devices.internal.http;

import io.rosetta.api.openapi.ApiDocumentation;
import io.rosetta.api.openapi.ResourceDocumentation;
import org.osgi.service.component.annotations.Component;

/** The device administration's part of the API's OpenAPI document: {@code /api/2/devices} ({@code openapi.json} next to this class). */
@Component(service = ApiDocumentation.class)
public final class DevicesDocumentation extends ResourceDocumentation {

    public DevicesDocumentation() {
        super("rosetta-devices");
    }
}
