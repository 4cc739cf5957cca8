package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShippedModelsTest {

    private static final Set<String> DEVICE_MODELS = Set.of(
            "rosetta:temperature-humidity-sensor:1.0.0", "rosetta:smart-plug:1.0.0", "rosetta:contact-sensor:1.0.0",
            "rosetta:motion-sensor:1.0.0", "rosetta:air-quality-sensor:1.0.0", "rosetta:gps-tracker:1.0.0");

    /** Logarithmic UCUM units: valid codes that the units library cannot convert. */
    private static final Set<String> LOGARITHMIC = Set.of("dB[mW]");

    @Test
    void everyShippedModelLoadsAndResolves() {
        List<ModelStore.ModelFile> files = TestModels.shipped();
        ModelStore store = new ModelStore();

        int loaded = store.load(files);

        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        assertThat(loaded).isEqualTo(files.size());
        assertThat(store.malformedFiles()).isZero();
        assertThat(store.unresolved()).isEmpty();
        assertThat(store.models()).hasSize(files.size());
        assertThat(store.models()).extracting(ThingModel::id).containsAll(DEVICE_MODELS).contains("rosetta:device-management:1.0.0");
    }

    @Test
    void idsFollowTheDefinitionConventionAndMatchTheFileNames() {
        for (ModelStore.ModelFile f : TestModels.shipped()) {
            RawModel m = ThingModelParser.parse(f.content());
            assertThat(m.id()).matches("rosetta:[a-z0-9-]+:\\d+\\.\\d+\\.\\d+");
            String[] parts = m.id().split(":");
            assertThat(f.fileName()).isEqualTo(parts[1] + "-" + parts[2] + ".tm.jsonld");
            assertThat(m.source().getOrNull("@context").toString()).contains("https://www.w3.org/2022/wot/td/v1.1");
        }
    }

    @Test
    void everyPropertyHasATypeAndEveryQuantityAUnitTheLibraryKnowsAndARange() {
        UcumUnits units = new UcumUnits();
        for (ThingModel m : TestModels.shippedStore().models()) {
            for (FeatureModel f : m.features().values()) {
                for (PropertyModel p : f.properties().values()) {
                    String at = m.id() + " features/" + f.instanceName() + "/" + p.name();
                    assertThat(p.type()).as(at).isNotNull();
                    if (p.unit() != null) {
                        assertThat(p.type()).as(at).isIn("number", "integer");
                        if (!LOGARITHMIC.contains(p.unit())) {
                            assertThat(units.isKnown(p.unit())).as(at + " unit " + p.unit()).isTrue();
                        }
                    }
                    if (p.type().equals("number") || p.type().equals("integer")) {
                        assertThat(p.minimum() != null || p.maximum() != null).as(at + " has a range").isTrue();
                    }
                }
            }
        }
    }

    @Test
    void temperatureHumiditySensorHasThreeFeaturesOfAboutThreeProperties() {
        ThingModel m = TestModels.shippedStore().model("rosetta:temperature-humidity-sensor:1.0.0").orElseThrow();

        assertThat(m.features().keySet()).as("in the model's order").containsExactly("temperature", "humidity", "device");
        assertThat(m.features().get("temperature").modelId()).isEqualTo("rosetta:temperature:1.0.0");
        assertThat(m.features().get("temperature").properties().keySet())
                .containsExactly("value", "minMeasuredValue", "maxMeasuredValue");
        PropertyModel value = m.features().get("temperature").properties().get("value");
        assertThat(value.type()).isEqualTo("number");
        assertThat(value.unit()).isEqualTo("Cel");
        assertThat(value.minimum()).isEqualTo(-40.0);
        assertThat(value.maximum()).isEqualTo(125.0);
        assertThat(m.features().get("humidity").properties().get("value").unit()).isEqualTo("%");
        assertThat(m.features().get("device").properties().keySet())
                .containsExactlyInAnyOrder("manufacturer", "firmwareVersion", "batteryLevel", "signalStrength");
        assertThat(m.features().get("device").actions()).containsKey("reboot");
    }

    @Test
    void twinShapes() {
        Map<String, Map<String, List<String>>> shapes = new TreeMap<>();
        for (ThingModel m : TestModels.shippedStore().models()) {
            if (DEVICE_MODELS.contains(m.id())) {
                Map<String, List<String>> features = new LinkedHashMap<>();
                m.features().values().forEach(f -> features.put(f.instanceName(), List.copyOf(f.properties().keySet())));
                shapes.put(m.id(), features);
            }
        }
        shapes.forEach((id, f) -> System.out.println(id + " -> " + f));
        assertThat(shapes).hasSize(DEVICE_MODELS.size());
        assertThat(shapes.values()).allSatisfy(features -> assertThat(features).containsKey("device"));
    }
}
