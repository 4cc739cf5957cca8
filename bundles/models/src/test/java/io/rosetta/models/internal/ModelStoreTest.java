package io.rosetta.models.internal;

import static io.rosetta.models.internal.TestModels.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.models.ThingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelStoreTest {

    static final String CTX = "\"@context\": [\"https://www.w3.org/2022/wot/td/v1.1\"], \"@type\": \"tm:ThingModel\"";

    static String featureModel(String id, String properties) {
        return "{" + CTX + ", \"id\": \"" + id + "\", \"title\": \"" + id + "\", \"properties\": {" + properties + "}}";
    }

    static String deviceModel(String id, String... links) {
        StringBuilder b = new StringBuilder("{" + CTX + ", \"id\": \"" + id + "\", \"links\": [");
        for (int i = 0; i < links.length; i += 2) {
            b.append(i == 0 ? "" : ",").append("{\"rel\": \"tm:submodel\", \"href\": \"").append(links[i])
                    .append("\", \"instanceName\": \"").append(links[i + 1]).append("\"}");
        }
        return b.append("]}").toString();
    }

    private static final String LEVEL = featureModel("acme:level:1.0.0",
            "\"value\": {\"type\": \"number\", \"unit\": \"ucum:%\", \"minimum\": 0, \"maximum\": 100}");

    @Test
    void aMalformedFileIsCountedAndSkippedWithoutStoppingTheOthers() {
        ModelStore store = new ModelStore();

        int loaded = store.load(List.of(
                file("bundle:1:/models/level.tm.jsonld", LEVEL),
                file("bundle:1:/models/broken.tm.jsonld", "{\"@context\": [ "),
                file("bundle:1:/models/not-a-tm.tm.jsonld", "{\"@context\": [], \"@type\": \"Thing\", \"id\": \"x:y:1\"}"),
                file("bundle:1:/models/bad-range.tm.jsonld", featureModel("acme:bad:1.0.0", "\"v\": {\"type\": \"number\", \"minimum\": 5, \"maximum\": 1}")),
                file("bundle:1:/models/tank.tm.jsonld", deviceModel("acme:tank:1.0.0", "acme:level:1.0.0", "level"))));

        assertThat(loaded).isEqualTo(2);
        assertThat(store.malformedFiles()).isEqualTo(3);
        assertThat(store.models()).extracting(ThingModel::id).containsExactlyInAnyOrder("acme:level:1.0.0", "acme:tank:1.0.0");
        ThingModel tank = store.model("acme:tank:1.0.0").orElseThrow();
        assertThat(tank.features().get("level").properties().get("value").unit()).isEqualTo("%");
    }

    @Test
    void parserNamesTheProblem() {
        assertThatThrownBy(() -> ThingModelParser.parse("{" + CTX + "}")).hasMessage("'id' is missing or empty");
        assertThatThrownBy(() -> ThingModelParser.parse(featureModel("a:b:1", "\"v\": {\"type\": \"decimal\"}")))
                .hasMessageContaining("'properties/v/type' \"decimal\" is not one of");
        assertThatThrownBy(() -> ThingModelParser.parse(featureModel("a:b:1", "\"v\": {\"type\": \"string\", \"maximum\": 3}")))
                .hasMessage("'properties/v': minimum/maximum apply to numbers, not to string");
        assertThatThrownBy(() -> ThingModelParser.parse(deviceModel("a:d:1", "a:b:1", "x/y")))
                .hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> ThingModelParser.parse("[1]")).hasMessage("a Thing Model must be a JSON object but is array");
        assertThatThrownBy(() -> ThingModelParser.parse("{\n  \"@context\": [\n")).hasMessageStartingWith("invalid JSON at line 3, column 1: Unexpected end-of-input");
    }

    @Test
    void aDeviceModelWaitsForItsSubmodelAndResolvesWhenItArrives() {
        ModelStore store = new ModelStore();
        store.load(List.of(file("bundle:2:/models/tank.tm.jsonld", deviceModel("acme:tank:1.0.0", "acme:level:1.0.0", "level"))));

        assertThat(store.model("acme:tank:1.0.0")).isEmpty();
        assertThat(store.unresolved()).containsKey("acme:tank:1.0.0");
        assertThat(store.unresolved().get("acme:tank:1.0.0")).contains("acme:level:1.0.0");

        store.load(List.of(file("bundle:3:/models/level.tm.jsonld", LEVEL)));

        assertThat(store.model("acme:tank:1.0.0")).isPresent();
        assertThat(store.unresolved()).isEmpty();

        store.removeSources("bundle:3:");

        assertThat(store.model("acme:tank:1.0.0")).isEmpty();
        assertThat(store.model("acme:level:1.0.0")).isEmpty();
    }

    @Test
    void submodelHrefMayBeAFileNameOrUrlAsInDittoExamples() {
        ModelStore store = new ModelStore();
        store.load(List.of(
                new ModelStore.ModelFile("bundle:1:/models/level-1.0.0.tm.jsonld", "level-1.0.0.tm.jsonld", ModelStore.BUNDLE, LEVEL.getBytes()),
                file("bundle:1:/models/tank.tm.jsonld",
                        deviceModel("acme:tank:1.0.0", "https://models.example.com/wot/level-1.0.0.tm.jsonld", "level"))));

        assertThat(store.model("acme:tank:1.0.0").orElseThrow().features().get("level").modelId()).isEqualTo("acme:level:1.0.0");
    }

    @Test
    void extendsInheritsPropertiesAndTheOwnOnesWin() {
        ModelStore store = new ModelStore();
        String dimmable = "{" + CTX + ", \"id\": \"acme:dimmable:1.0.0\", \"links\": [{\"rel\": \"tm:extends\", \"href\": \"acme:level:1.0.0\"}],"
                + " \"properties\": {\"value\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 10}, \"on\": {\"type\": \"boolean\"}}}";
        store.load(List.of(file("bundle:1:/a.tm.jsonld", LEVEL), file("bundle:1:/b.tm.jsonld", dimmable),
                file("bundle:1:/c.tm.jsonld", deviceModel("acme:lamp:1.0.0", "acme:dimmable:1.0.0", "dimmer"))));

        var props = store.model("acme:lamp:1.0.0").orElseThrow().features().get("dimmer").properties();
        assertThat(props).containsOnlyKeys("value", "on");
        assertThat(props.get("value").type()).isEqualTo("integer");
        assertThat(props.get("value").maximum()).isEqualTo(10.0);
    }

    @Test
    void aFolderModelOverridesTheShippedOneWithTheSameId() {
        ModelStore store = new ModelStore();
        store.load(List.of(file("bundle:1:/level.tm.jsonld", LEVEL)));
        String wider = featureModel("acme:level:1.0.0", "\"value\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 200}");
        store.load(List.of(new ModelStore.ModelFile("file:/etc/models/level.tm.jsonld", "level.tm.jsonld", ModelStore.FOLDER, wider.getBytes())));

        assertThat(store.model("acme:level:1.0.0").orElseThrow().properties().get("value").maximum()).isEqualTo(200.0);

        store.removeSource("file:/etc/models/level.tm.jsonld");

        assertThat(store.model("acme:level:1.0.0").orElseThrow().properties().get("value").maximum()).isEqualTo(100.0);
    }

    @Test
    void extendsCyclesAreReportedNotLooped() {
        ModelStore store = new ModelStore();
        String a = "{" + CTX + ", \"id\": \"x:a:1\", \"links\": [{\"rel\": \"tm:extends\", \"href\": \"x:b:1\"}]}";
        String b = "{" + CTX + ", \"id\": \"x:b:1\", \"links\": [{\"rel\": \"tm:extends\", \"href\": \"x:a:1\"}]}";
        store.load(List.of(file("bundle:1:/a.tm.jsonld", a), file("bundle:1:/b.tm.jsonld", b)));

        assertThat(store.models()).isEmpty();
        assertThat(store.unresolved().get("x:a:1")).contains("cycle");
    }
}
