package io.rosetta.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.internal.journal.Journal;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.registry.Precondition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery after a crash: a registry that is simply abandoned (never closed, as after kill -9)
 * must come back with every acknowledged change, and a torn last record must be dropped.
 */
class DurabilityTest {

    @TempDir
    Path dir;

    private static Map<ThingId, Thing> writeSomeHistory(TwinRegistryImpl registry) {
        for (int i = 0; i < 20; i++) {
            ThingId id = ThingId.of("org.example:dev-" + i);
            registry.create(TwinRegistryImplTest.sensor(id));
            if (i % 3 == 0) {
                registry.merge(id, JsonPointer.of("/features/temperature/desiredProperties"),
                        Json.parse("{\"value\":" + (20 + i) + ",\"mode\":\"eco\"}"), Precondition.none());
            }
            registry.report(id, JsonPointer.of("/features/temperature/properties"), Json.parse("{\"value\":" + (20 + i) + "}"), 1000 + i);
            registry.modify(id, JsonPointer.of("/attributes/room"), JsonValue.of("r" + i), Precondition.none());
            registry.updateConnectivity(id, ConnectivityStatus.offline(ConnectivityStatus.Detail.COMMUNICATION_ERROR, "lost"));
            if (i % 5 == 0) {
                registry.updateLifecycle(id, LifecycleState.SUSPENDED);
            }
            if (i % 7 == 0) {
                registry.delete(id, JsonPointer.of("/features/humidity"), Precondition.none());
            }
        }
        registry.delete(ThingId.of("org.example:dev-3"), JsonPointer.empty(), Precondition.none());
        Map<ThingId, Thing> state = new HashMap<>();
        registry.things().forEach(t -> state.put(t.thingId(), t));
        return state;
    }

    @Test
    void everyAcknowledgedChangeSurvivesACrash() {
        TwinRegistryImpl before = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        Map<ThingId, Thing> expected = writeSomeHistory(before);
        // no close(): the process "dies" here

        TwinRegistryImpl after = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            assertThat(after.size()).isEqualTo(19);
            for (Thing t : after.things()) {
                assertThat(t).isEqualTo(expected.get(t.thingId()));
            }
            assertThat(after.stats().recoveredRecords()).isPositive();
        } finally {
            after.close();
        }
    }

    @Test
    void aTornLastRecordIsDroppedAndTheRestRecovered() throws IOException {
        TwinRegistryImpl before = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        Map<ThingId, Thing> expected = writeSomeHistory(before);
        Path segment = newestSegment();
        long size = dataEnd(segment);
        // a write cut short by the crash: a header announcing 200 bytes, and only 10 of them
        byte[] torn = new byte[18];
        torn[0] = (byte) 200;
        torn[8] = 42;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(torn), size);
        }

        TwinRegistryImpl after = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            assertThat(after.size()).isEqualTo(expected.size());
            for (Thing t : after.things()) {
                assertThat(t).isEqualTo(expected.get(t.thingId()));
            }
            assertThat(Files.size(segment)).isEqualTo(size);
            // and it keeps journaling after the repaired tail
            after.merge(ThingId.of("org.example:dev-1"), JsonPointer.of("/attributes/x"), JsonValue.of(1), Precondition.none());
        } finally {
            after.close();
        }
        TwinRegistryImpl third = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            assertThat(third.retrieve(ThingId.of("org.example:dev-1")).get().attributes().get().getOrNull("x")).isEqualTo(JsonValue.of(1));
        } finally {
            third.close();
        }
    }

    @Test
    void aCorruptedLastRecordIsDroppedToo() throws IOException {
        TwinRegistryImpl before = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        before.create(TwinRegistryImplTest.sensor(ThingId.of("a:one")));
        before.merge(ThingId.of("a:one"), JsonPointer.of("/attributes/x"), JsonValue.of(1), Precondition.none());
        Path segment = newestSegment();
        byte[] bytes = Files.readAllBytes(segment);
        bytes[(int) dataEnd(segment) - 3] ^= 0x55; // flip bits inside the last payload: checksum mismatch
        Files.write(segment, bytes);

        TwinRegistryImpl after = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            Thing t = after.retrieve(ThingId.of("a:one")).get();
            assertThat(t.revision()).isEqualTo(1);
            assertThat(t.attributes().get().contains("x")).isFalse();
        } finally {
            after.close();
        }
    }

    @Test
    void snapshotsReplaceOldSegmentsAndRecoverWithTheJournalAfterThem() throws IOException {
        TwinRegistryImpl before = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.ALWAYS, 50);
        Map<ThingId, Thing> expected = writeSomeHistory(before);
        before.snapshotNow();
        before.merge(ThingId.of("org.example:dev-1"), JsonPointer.of("/attributes/after"), JsonValue.of(true), Precondition.none());
        expected.put(ThingId.of("org.example:dev-1"), before.retrieve(ThingId.of("org.example:dev-1")).get());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).anyMatch(n -> n.endsWith(".snap"));
        }

        TwinRegistryImpl after = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            assertThat(after.size()).isEqualTo(expected.size());
            for (Thing t : after.things()) {
                assertThat(t).isEqualTo(expected.get(t.thingId()));
            }
        } finally {
            after.close();
        }
    }

    @Test
    void aCleanShutdownLeavesOnlyASnapshotToLoad() {
        TwinRegistryImpl before = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.INTERVAL, Long.MAX_VALUE);
        Map<ThingId, Thing> expected = writeSomeHistory(before);
        before.close();
        TwinRegistryImpl after = TwinRegistryImpl.withJournal(dir, Journal.FsyncPolicy.NEVER, Long.MAX_VALUE);
        try {
            assertThat(after.things()).containsExactlyInAnyOrderElementsOf(expected.values());
        } finally {
            after.close();
        }
    }

    /** Where the records of a (possibly preallocated) segment end: the first zero length. */
    private static long dataEnd(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at + 8 <= b.limit() && b.getInt(at) > 0) {
            at += 8 + b.getInt(at);
        }
        return at;
    }

    private Path newestSegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("journal-"))
                    .max((a, b) -> Long.compare(number(a), number(b))).orElseThrow();
        }
    }

    private static long number(Path p) {
        String n = p.getFileName().toString();
        return Long.parseLong(n.substring("journal-".length(), n.length() - ".log".length()));
    }
}
