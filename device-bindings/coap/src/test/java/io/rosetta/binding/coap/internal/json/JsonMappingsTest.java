package io.rosetta.binding.coap.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.binding.coap.internal.TestModels;
import io.rosetta.core.json.Json;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped JSON mappings (data of the semantic models) and the mapping file format. */
class JsonMappingsTest {

    private final ModelRegistry models = TestModels.models();
    @TempDir
    Path dir;

    @Test
    void everyShippedMappingLoadsAndNamesRealPropertiesWithConvertibleUnits() {
        JsonMappings mappings = JsonMappings.load(getClass().getClassLoader(), null);
        assertThat(mappings.all()).extracting(JsonMapping::name).contains("temperature-humidity-sensor", "acme-climate",
                "smart-plug", "gps-tracker", "air-quality-sensor");
        for (JsonMapping m : mappings.all()) {
            ThingModel model = models.model(m.model()).orElseThrow(() -> new AssertionError(m.name() + ": unknown model " + m.model()));
            for (JsonRule r : m.rules()) {
                FeatureModel f = model.features().get(r.feature());
                assertThat(f).as("%s: feature %s", m.name(), r.feature()).isNotNull();
                PropertyModel p = f.properties().get(r.property());
                assertThat(p).as("%s: property %s/%s", m.name(), r.feature(), r.property()).isNotNull();
                for (String unit : r.unit() == null ? r.units().values() : java.util.List.of(r.unit())) {
                    if (p.unit() != null && !p.unit().equals(unit)) {
                        assertThat(models.convert(1.0, unit, p.unit())).as("%s: %s → %s", m.name(), unit, p.unit()).isFinite();
                    }
                }
            }
        }
    }

    @Test
    void theDefaultOfAModelIsItsMappingOfTheHighestPriority() {
        JsonMappings mappings = JsonMappings.load(getClass().getClassLoader(), null);
        assertThat(mappings.forModel("rosetta:temperature-humidity-sensor:1.0.0")).map(JsonMapping::name)
                .contains("temperature-humidity-sensor");
        assertThat(mappings.forModel("rosetta:motion-sensor:1.0.0")).isEmpty();
        assertThat(mappings.named("acme-climate")).map(JsonMapping::model).contains("rosetta:temperature-humidity-sensor:1.0.0");
    }

    @Test
    void aDirectoryAddsMappingsAndReplacesShippedOnesMalformedFilesAreSkipped() throws Exception {
        Files.writeString(dir.resolve("acme-climate.json"), """
                {"model":"rosetta:temperature-humidity-sensor:1.0.0","properties":[
                  {"source":"/t","feature":"temperature","property":"value","unit":"K"}]}""");
        Files.writeString(dir.resolve("mine.json"), """
                {"model":"rosetta:motion-sensor:1.0.0","priority":5,"properties":[
                  {"source":"/pir","feature":"motion","property":"detected"}]}""");
        Files.writeString(dir.resolve("broken.json"), "{\"model\":");
        Files.writeString(dir.resolve("norules.json"), "{\"model\":\"rosetta:smart-plug:1.0.0\",\"properties\":[]}");
        JsonMappings mappings = JsonMappings.load(getClass().getClassLoader(), dir);
        assertThat(mappings.named("acme-climate").orElseThrow().rules()).singleElement()
                .satisfies(r -> assertThat(r.unit()).isEqualTo("K"));
        assertThat(mappings.forModel("rosetta:motion-sensor:1.0.0")).map(JsonMapping::name).contains("mine");
        assertThat(mappings.named("broken")).isEmpty();
        assertThat(mappings.named("norules")).isEmpty();
        assertThat(mappings.named("smart-plug")).isPresent();
    }

    @Test
    void wrongMembersAreNamed() {
        assertThatThrownBy(() -> JsonMappings.parse("m", Json.parse("{\"properties\":[]}"))).hasMessageContaining("'model' is required");
        assertThatThrownBy(() -> JsonMappings.parse("m", Json.parse("""
                {"model":"x","properties":[{"source":"temp","feature":"temperature","property":"value"}]}""")))
                .hasMessageContaining("properties[0].source must be a JSON pointer");
        assertThatThrownBy(() -> JsonMappings.parse("m", Json.parse("""
                {"model":"x","properties":[{"source":"/t","feature":"temperature","property":"value","unitFrom":"/u"}]}""")))
                .hasMessageContaining("'unitFrom' needs a 'units' table");
        assertThatThrownBy(() -> JsonMappings.parse("m", Json.parse("[]"))).hasMessageContaining("a mapping is a JSON object");
    }
}
