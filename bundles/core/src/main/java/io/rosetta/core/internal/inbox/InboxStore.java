package io.rosetta.core.internal.inbox;

import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's file: {@code {"version":1,"entries":[...]}}, written to a temporary file, forced to disk
 * and moved over the old one, so that a crash leaves either the old or the new inbox. A file that
 * cannot be read is kept aside ({@code inbox.json.unreadable-<millis>}) and the inbox starts empty.
 */
final class InboxStore {

    private static final Logger LOG = LoggerFactory.getLogger(InboxStore.class);
    static final int VERSION = 1;

    private final Path file;

    InboxStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    List<InboxEntry> load() {
        List<InboxEntry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            JsonValue v = Json.parse(Files.readAllBytes(file));
            if (!(v instanceof JsonObject o) || !(o.getOrNull("entries") instanceof JsonArray entries)) {
                throw new IllegalArgumentException("no 'entries' array");
            }
            int skipped = 0;
            for (JsonValue e : entries) {
                try {
                    out.add(InboxEntry.fromJson(e.asObject()));
                } catch (RuntimeException bad) {
                    skipped++;
                    LOG.warn("Inbox {}: an entry could not be read and is skipped: {}", file, bad.getMessage());
                }
            }
            LOG.info("Inbox {}: {} entries{}", file, out.size(), skipped == 0 ? "" : " (" + skipped + " unreadable ones skipped)");
            return out;
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + System.currentTimeMillis());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailed) {
                LOG.error("Inbox {} is unreadable ({}) and could not be moved aside: {}", file, e.getMessage(), moveFailed.getMessage());
                return out;
            }
            LOG.error("Inbox {} is unreadable ({}); kept as {}, the inbox starts empty", file, e.getMessage(), aside);
            return out;
        }
    }

    void save(List<InboxEntry> entries) throws IOException {
        List<JsonValue> list = new ArrayList<>(entries.size());
        for (InboxEntry e : entries) {
            list.add(e.toJson());
        }
        JsonObject doc = JsonObject.newBuilder().set("version", VERSION).set("entries", JsonArray.of(list)).build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            out.write(Json.writeBytes(doc));
            out.flush();
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
