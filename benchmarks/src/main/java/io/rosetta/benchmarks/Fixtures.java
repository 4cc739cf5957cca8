package io.rosetta.benchmarks;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.util.List;

/** Twins of the size the targets speak of: 3 features × 3 properties, plus a few attributes. */
final class Fixtures {

    static final String DEFINITION = "rosetta:temperature-humidity-sensor:1.0.0";

    private Fixtures() {
    }

    static ThingId id(int i) {
        return ThingId.of("org.example.fleet", "sensor-" + i);
    }

    static Thing twin(int i) {
        double t = 15 + (i % 200) / 10.0;
        return Thing.newBuilder(id(i))
                .policyId("org.example.fleet:default")
                .definition(DEFINITION)
                .attributes(JsonObject.newBuilder().set("vendor", "Acme").set("model", "TH-" + (i % 7)).build())
                .features(List.of(
                        Feature.of("temperature", null, props("value", t, "minMeasuredValue", t - 3, "maxMeasuredValue", t + 4), null),
                        Feature.of("humidity", null, props("value", 40 + i % 30, "minMeasuredValue", 30 + i % 7, "maxMeasuredValue", 70 - i % 5), null),
                        Feature.of("device", null, JsonObject.newBuilder().set("manufacturer", "Acme").set("batteryLevel", 100 - i % 90)
                                .set("signalStrength", -40 - i % 50).set("firmwareVersion", "1." + (i % 5) + ".0").build(), null)))
                .build();
    }

    private static JsonObject props(String k1, double v1, String k2, double v2, String k3, double v3) {
        return JsonObject.newBuilder().set(k1, JsonValue.of(v1)).set(k2, JsonValue.of(v2)).set(k3, JsonValue.of(v3)).build();
    }
}
