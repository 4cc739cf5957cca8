package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModelTwinTemplatesTest {

    private static final ModelStore STORE = TestModels.shippedStore();

    @Test
    void aNewTwinHasTheModelsFeaturesWithTheirDefinitions() {
        Thing t = ModelTwinTemplates.build(ThingId.of("demo:s1"), STORE.modelOrNull("rosetta:temperature-humidity-sensor:1.0.0"));
        assertThat(t.definition()).contains("rosetta:temperature-humidity-sensor:1.0.0");
        assertThat(t.features().stream().map(Feature::id).collect(Collectors.toList())).containsExactly("temperature", "humidity", "device");
        assertThat(t.feature("temperature").get().definition().toString()).isEqualTo("[\"rosetta:temperature:1.0.0\"]");
        assertThat(t.feature("temperature").get().properties()).isNull();
        assertThat(t.toJson().toString()).isEqualTo("{\"thingId\":\"demo:s1\",\"definition\":\"rosetta:temperature-humidity-sensor:1.0.0\","
                + "\"features\":{\"temperature\":{\"definition\":[\"rosetta:temperature:1.0.0\"]},"
                + "\"humidity\":{\"definition\":[\"rosetta:humidity:1.0.0\"]},"
                + "\"device\":{\"definition\":[\"rosetta:device-management:1.0.0\"]}}}");
    }

    @Test
    void anUnknownModelGivesNoTemplate() {
        ModelTwinTemplates templates = new ModelTwinTemplates(TestModels.registry(STORE));
        assertThat(templates.newTwin(ThingId.of("demo:s1"), "rosetta:nope:1.0.0")).isEmpty();
        assertThat(templates.newTwin(ThingId.of("demo:s1"), "rosetta:smart-plug:1.0.0")).isPresent();
    }
}
