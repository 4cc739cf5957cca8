package io.rosetta.devices.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.AuditQuery;
import io.rosetta.devices.Device;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the registry keeps its devices and its audit trail, in one folder:
 * <ul>
 *   <li>{@code devices.snapshot}: every device at a point of its history ({@code seq}), written to a temporary file,
 *       forced to disk and moved over the old one in one step;</li>
 *   <li>{@code devices.log}: every change since, one line each ({@code <crc32c> TAB <json>}), appended before the
 *       registry answers; a crash leaves at most a torn last line, which recovery cuts off;</li>
 *   <li>{@code audit.log} (and the previous generation {@code audit.log.1}): the audit trail, one JSON line per record.
 *       Each change's audit record is also in its {@code devices.log} line, so recovery restores audit records that
 *       a crash kept from {@code audit.log}; a snapshot (which empties {@code devices.log}) is only written after the
 *       audit trail is on disk.</li>
 * </ul>
 * A damaged line that is not the last one, or a damaged snapshot, stops recovery with an error naming the file: a
 * registry of credentials must not start with silently missing changes (a lost "suspended" would let a device in).
 * Not thread-safe: the registry calls it under its write lock ({@link #audit} may run concurrently).
 */
final class DeviceStore implements Closeable {

    enum Fsync { NEVER, INTERVAL, ALWAYS }

    /** A committed change: the device as it is now, and its audit record (whose seq is the change's). */
    record Change(Device device, AuditEntry audit) {
    }

    static final String SNAPSHOT = "devices.snapshot";
    static final String LOG = "devices.log";
    static final String AUDIT = "audit.log";
    static final String AUDIT_OLD = "audit.log.1";
    private static final String LOCK = "devices.lock";
    private static final int FORMAT = 1;
    private static final Logger LOG_ = LoggerFactory.getLogger(DeviceStore.class);

    private final Path dir;
    private final Fsync fsync;
    private final long auditMaxBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private FileChannel log;
    private FileChannel audit;
    private final Map<String, Device> recovered = new HashMap<>();
    private final List<AuditEntry> pendingAudit = new ArrayList<>();
    private long lastSeq;
    private long snapshotSeq;
    private long sinceSnapshot;
    private long recoveredRecords;
    private long restoredAudit;
    private boolean dirty;
    private boolean broken;

    private DeviceStore(Path dir, Fsync fsync, long auditMaxBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.fsync = fsync;
        this.auditMaxBytes = auditMaxBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the store in {@code dir} (created when missing) and recovers its devices.
     *
     * @throws IllegalStateException when another process holds the folder, or the files are damaged beyond a torn last line
     * @throws UncheckedIOException  when the folder cannot be read or written
     */
    static DeviceStore open(Path dir, Fsync fsync, long auditMaxBytes) {
        try {
            Files.createDirectories(dir);
            FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                lockChannel.close();
                throw new IllegalStateException("The device registry folder " + dir + " is in use by another process.");
            }
            DeviceStore store = new DeviceStore(dir, fsync, auditMaxBytes, lockChannel, lock);
            try {
                store.recover();
            } catch (RuntimeException | IOException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("The device registry folder " + dir + " cannot be opened: " + e.getMessage(), e);
        }
    }

    Map<String, Device> recovered() {
        return recovered;
    }

    long lastSeq() {
        return lastSeq;
    }

    long sinceSnapshot() {
        return sinceSnapshot;
    }

    long recoveredRecords() {
        return recoveredRecords;
    }

    long restoredAudit() {
        return restoredAudit;
    }

    Path dir() {
        return dir;
    }

    // ---- recovery ---------------------------------------------------------------------------------------------------

    private void recover() throws IOException {
        loadSnapshot();
        long lastAudit = auditTail();
        replayLog(lastAudit);
        audit = FileChannel.open(dir.resolve(AUDIT), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (!pendingAudit.isEmpty()) {
            restoredAudit = pendingAudit.size();
            writeAudit(List.of());
            audit.force(false);
            LOG_.info("Restored {} audit records from {} that a crash kept from {}", restoredAudit, LOG, AUDIT);
        }
    }

    private void loadSnapshot() throws IOException {
        Path file = dir.resolve(SNAPSHOT);
        if (!Files.exists(file)) {
            return;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject header = Json.parseObject(in.readLine());
            if (((JsonNumber) header.getOrNull("format")).longValue() != FORMAT) {
                throw new IllegalStateException("unknown format " + header.getOrNull("format"));
            }
            long seq = ((JsonNumber) header.getOrNull("seq")).longValue();
            long count = ((JsonNumber) header.getOrNull("devices")).longValue();
            for (long i = 0; i < count; i++) {
                String line = in.readLine();
                JsonObject o = checked(line);
                if (o == null) {
                    throw new IllegalStateException("device line " + (i + 2) + " is damaged");
                }
                Device d = DeviceCodec.device(o);
                recovered.put(d.deviceId(), d);
            }
            JsonObject end = Json.parseObject(in.readLine());
            if (!(end.getOrNull("end") instanceof JsonNumber n) || n.longValue() != count) {
                throw new IllegalStateException("the end marker is missing");
            }
            snapshotSeq = seq;
            lastSeq = seq;
        } catch (RuntimeException e) {
            throw new IllegalStateException("The device registry snapshot " + file + " is damaged (" + e.getMessage()
                    + "). Restore it from a backup; the registry does not start without it.", e);
        }
    }

    /** The seq of the last audit record on disk; cuts off a torn last line. */
    private long auditTail() throws IOException {
        Path file = dir.resolve(AUDIT);
        long last = lastCompleteSeq(file);
        if (last < 0) {
            last = lastCompleteSeq(dir.resolve(AUDIT_OLD));
        }
        return Math.max(0, last);
    }

    private static long lastCompleteSeq(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 256 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(tail);
            ch.read(buf, size - tail);
            byte[] bytes = buf.array();
            int end = tail;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < tail) {
                ch.truncate(size - tail + end);
            }
            if (end == 0) {
                return -1;
            }
            int start = end - 1;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            try {
                return DeviceCodec.audit(Json.parseObject(new String(bytes, start, end - 1 - start, StandardCharsets.UTF_8))).seq();
            } catch (RuntimeException e) {
                return -1;
            }
        }
    }

    private void replayLog(long lastAudit) throws IOException {
        Path file = dir.resolve(LOG);
        log = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = log.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("The device registry log " + file + " is larger than 2 GiB");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && log.read(buf, buf.position()) > 0) {
            // read all of it
        }
        byte[] bytes = buf.array();
        int pos = 0;
        int lineNo = 0;
        while (pos < bytes.length) {
            int nl = pos;
            while (nl < bytes.length && bytes[nl] != '\n') {
                nl++;
            }
            lineNo++;
            JsonObject record = nl < bytes.length ? checked(new String(bytes, pos, nl - pos, StandardCharsets.UTF_8)) : null;
            if (record == null) {
                if (hasCompleteLineAfter(bytes, nl + 1)) {
                    throw new IllegalStateException("The device registry log " + file + " is damaged at line " + lineNo
                            + " and has changes after it. Move the file aside to start from the snapshot and the changes before "
                            + "that line (copy them back from it), or restore a backup.");
                }
                LOG_.warn("Cut off a torn last line of {} ({} bytes): a write interrupted by a crash", file, bytes.length - pos);
                log.truncate(pos);
                log.force(true);
                break;
            }
            long seq = ((JsonNumber) record.getOrNull("s")).longValue();
            if (seq > snapshotSeq) {
                Device d = DeviceCodec.device((JsonObject) record.getOrNull("d"));
                recovered.put(d.deviceId(), d);
                sinceSnapshot++;
                recoveredRecords++;
                lastSeq = Math.max(lastSeq, seq);
                if (seq > lastAudit && record.getOrNull("a") instanceof JsonObject a) {
                    pendingAudit.add(DeviceCodec.audit(a));
                }
            }
            pos = nl + 1;
        }
        log.position(log.size());
    }

    private static boolean hasCompleteLineAfter(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The JSON of a {@code crc TAB json} line, or {@code null} when it is damaged. */
    private static JsonObject checked(String line) {
        if (line == null || line.length() < 10 || line.charAt(8) != '\t') {
            return null;
        }
        String json = line.substring(9);
        try {
            long crc = Long.parseLong(line, 0, 8, 16);
            if (crc != crc(json.getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
            return Json.parseObject(json);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }

    private static void line(ByteArrayOutputStream out, JsonObject json) {
        byte[] bytes = Json.writeBytes(json);
        String crc = String.format("%08x", crc(bytes));
        out.writeBytes(crc.getBytes(StandardCharsets.US_ASCII));
        out.write('\t');
        out.writeBytes(bytes);
        out.write('\n');
    }

    // ---- writes -----------------------------------------------------------------------------------------------------

    /**
     * Appends changes (in seq order, each above {@link #lastSeq}); they survive a crash of the process once this
     * returns, and a power loss too with {@link Fsync#ALWAYS} (or after the next {@link #force} with INTERVAL).
     *
     * @throws UncheckedIOException when they could not be written; none of them is then in the log
     */
    void append(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        if (broken) {
            throw new UncheckedIOException(new IOException("the device registry log could not be repaired after an earlier write "
                    + "failure; restart the registry"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(changes.size() * 512);
        for (Change c : changes) {
            line(out, JsonObject.newBuilder().set("s", c.audit().seq()).set("d", DeviceCodec.device(c.device()))
                    .set("a", DeviceCodec.audit(c.audit())).build());
        }
        long start;
        try {
            start = log.position();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
            while (buf.hasRemaining()) {
                log.write(buf);
            }
            if (fsync == Fsync.ALWAYS) {
                log.force(false);
            }
        } catch (IOException e) {
            try {
                log.truncate(start);
                log.position(start);
            } catch (IOException again) {
                broken = true;
                LOG_.error("The device registry log {} could not be cut back after a failed write: no more changes are accepted "
                        + "until the registry restarts", dir.resolve(LOG), again);
            }
            throw new UncheckedIOException(e);
        }
        lastSeq = changes.get(changes.size() - 1).audit().seq();
        sinceSnapshot += changes.size();
        dirty = true;
        List<AuditEntry> entries = new ArrayList<>(changes.size());
        changes.forEach(c -> entries.add(c.audit()));
        try {
            writeAudit(entries);
        } catch (IOException e) {
            LOG_.error("Audit records could not be written to {}; they are kept and written with the next change", dir.resolve(AUDIT), e);
        }
    }

    private void writeAudit(List<AuditEntry> entries) throws IOException {
        pendingAudit.addAll(entries);
        if (pendingAudit.isEmpty()) {
            return;
        }
        if (audit.size() > auditMaxBytes) {
            rotateAudit();
        }
        StringBuilder sb = new StringBuilder(pendingAudit.size() * 160);
        for (AuditEntry a : pendingAudit) {
            sb.append(Json.write(DeviceCodec.audit(a))).append('\n');
        }
        ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        long start = audit.size();
        try {
            while (buf.hasRemaining()) {
                audit.write(buf);
            }
        } catch (IOException e) {
            audit.truncate(start);
            throw e;
        }
        pendingAudit.clear();
    }

    private void rotateAudit() throws IOException {
        audit.force(false);
        audit.close();
        move(dir.resolve(AUDIT), dir.resolve(AUDIT_OLD));
        audit = FileChannel.open(dir.resolve(AUDIT), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Forces what was appended to the disk (the INTERVAL policy's timer). */
    void force() {
        if (!dirty) {
            return;
        }
        try {
            log.force(false);
            audit.force(false);
            dirty = false;
        } catch (IOException e) {
            LOG_.warn("The device registry could not force its files to disk", e);
        }
    }

    /**
     * Writes every device as the new snapshot, then empties the log. Skipped (false) while audit records are still
     * waiting to be written: the log is their only copy.
     */
    boolean snapshot(Collection<Device> devices) {
        try {
            writeAudit(List.of());
            audit.force(false);
        } catch (IOException e) {
            LOG_.warn("No snapshot of the device registry: the audit trail cannot be written", e);
            return false;
        }
        Path file = dir.resolve(SNAPSHOT);
        Path tmp = dir.resolve(SNAPSHOT + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                SecretBox.ownerOnly(tmp);
                ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                out.writeBytes(Json.writeBytes(JsonObject.newBuilder().set("format", FORMAT).set("seq", lastSeq)
                        .set("devices", devices.size()).build()));
                out.write('\n');
                int n = 0;
                for (Device d : devices) {
                    line(out, DeviceCodec.device(d));
                    n++;
                    if (out.size() > (1 << 20)) {
                        writeFully(ch, out.toByteArray());
                        out.reset();
                    }
                }
                if (n != devices.size()) {
                    throw new IllegalStateException("the devices changed while the snapshot was written");
                }
                out.writeBytes(Json.writeBytes(JsonObject.of("end", JsonNumber.of(n))));
                out.write('\n');
                writeFully(ch, out.toByteArray());
                ch.force(true);
            }
            move(tmp, file);
            forceDirectory();
            log.truncate(0);
            log.position(0);
            log.force(true);
            snapshotSeq = lastSeq;
            sinceSnapshot = 0;
            return true;
        } catch (IOException e) {
            LOG_.warn("The device registry snapshot could not be written; the log keeps every change", e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a folder; the rename is still atomic
        }
    }

    // ---- audit reads ------------------------------------------------------------------------------------------------

    /** The newest {@code query.limit()} matching audit records that {@code visible} lets through, oldest first. */
    List<AuditEntry> audit(AuditQuery query, Predicate<AuditEntry> visible) {
        ArrayDeque<AuditEntry> ring = new ArrayDeque<>(Math.min(query.limit(), 4096));
        String needle = query.deviceId() == null ? null : "\"device\":" + Json.write(io.rosetta.core.json.JsonString.of(query.deviceId()));
        long since = query.since() == null ? Long.MIN_VALUE : query.since().toEpochMilli();
        for (Path file : List.of(dir.resolve(AUDIT_OLD), dir.resolve(AUDIT))) {
            if (!Files.exists(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (needle != null && !line.contains(needle)) {
                        continue;
                    }
                    AuditEntry e;
                    try {
                        e = DeviceCodec.audit(Json.parseObject(line));
                    } catch (RuntimeException bad) {
                        continue;
                    }
                    if (e.time().toEpochMilli() < since || query.deviceId() != null && !query.deviceId().equals(e.deviceId())
                            || !visible.test(e)) {
                        continue;
                    }
                    if (ring.size() == query.limit()) {
                        ring.pollFirst();
                    }
                    ring.addLast(e);
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // rotated away while reading
            } catch (IOException e) {
                throw new UncheckedIOException("The audit trail " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return new ArrayList<>(ring);
    }

    @Override
    public void close() {
        try {
            if (log != null) {
                log.force(true);
                log.close();
            }
            if (audit != null) {
                try {
                    writeAudit(List.of());
                } catch (IOException e) {
                    LOG_.error("{} audit records could not be written at close; {} still has them", pendingAudit.size(), LOG, e);
                }
                audit.force(true);
                audit.close();
            }
        } catch (IOException e) {
            LOG_.warn("The device registry files could not be closed cleanly", e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                LOG_.debug("Lock file not released", e);
            }
        }
    }
}
