package io.rosetta.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

    @TempDir
    Path dir;

    private static final String LEVEL = ModelStoreTest.featureModel("acme:level:1.0.0",
            "\"value\": {\"type\": \"number\", \"unit\": \"%\", \"minimum\": 0, \"maximum\": 100}");

    @Test
    void loadsAtStartThenFollowsAddedChangedAndRemovedFiles() throws IOException {
        Files.writeString(dir.resolve("level.tm.jsonld"), LEVEL);
        Files.writeString(dir.resolve("broken.tm.jsonld"), "{ not json");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ModelStore store = new ModelStore();
        ModelFolder folder = new ModelFolder(store, dir);

        folder.loadAll();

        assertThat(store.model("acme:level:1.0.0")).isPresent();
        assertThat(store.malformedFiles()).isEqualTo(1);

        // File Install reports the files it finds at start again: unchanged content changes nothing
        assertThat(folder.load(dir.resolve("level.tm.jsonld"))).isTrue();
        assertThat(folder.load(dir.resolve("broken.tm.jsonld"))).isFalse();
        assertThat(store.malformedFiles()).isEqualTo(1);
        assertThat(store.loadedFiles()).isEqualTo(1);

        Path tank = dir.resolve("tank.tm.jsonld");
        Files.writeString(tank, ModelStoreTest.deviceModel("acme:tank:1.0.0", "acme:level:1.0.0", "level"));
        assertThat(folder.load(tank)).isTrue();
        assertThat(store.model("acme:tank:1.0.0").orElseThrow().features()).containsKey("level");

        Files.writeString(tank, ModelStoreTest.deviceModel("acme:tank:1.0.0", "acme:level:1.0.0", "fill"));
        assertThat(folder.load(tank)).isTrue();
        assertThat(store.model("acme:tank:1.0.0").orElseThrow().features()).containsOnlyKeys("fill");

        Files.writeString(tank, "{\"broken\": ");
        assertThat(folder.load(tank)).isFalse();
        assertThat(store.malformedFiles()).isEqualTo(2);
        assertThat(store.model("acme:tank:1.0.0")).as("a file that turned bad no longer provides its model").isEmpty();

        assertThat(folder.remove(dir.resolve("level.tm.jsonld"))).isTrue();
        assertThat(store.models()).isEmpty();
    }

    @Test
    void theFolderIsCreatedWhenMissing() {
        Path missing = dir.resolve("etc/models");
        new ModelFolder(new ModelStore(), missing).loadAll();
        assertThat(missing).isDirectory();
    }

    @Test
    void onlyThingModelFilesAreHandled() {
        assertThat(ModelFolder.isModelFile(Path.of("a/level-1.0.0.tm.jsonld"))).isTrue();
        assertThat(ModelFolder.isModelFile(Path.of("a/io.rosetta.models.cfg"))).isFalse();
    }
}
