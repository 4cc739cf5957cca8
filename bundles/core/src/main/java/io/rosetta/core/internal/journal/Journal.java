package io.rosetta.core.internal.journal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of opaque records in numbered segments, with snapshots.
 *
 * <p>Layout in its directory: {@code journal-N.log} segments and {@code snapshot-N.snap} files; a
 * snapshot N holds the state before segment N started, so recovery loads the newest complete
 * snapshot and replays segments N, N+1, ... Every record is framed as
 * {@code [int length][int CRC32C][payload]} (little endian). A record that is cut short or fails
 * its checksum ends recovery of its segment: in the newest segment it is a torn write from a crash
 * and is truncated away; elsewhere it is reported as corruption.
 *
 * <p>{@link #append} returns after the record was written to the operating system, which is what
 * survives a {@code kill -9} of the server. {@link FsyncPolicy} decides when it is also forced to
 * the disk (power loss); with {@link FsyncPolicy#ALWAYS} concurrent appenders share one force
 * (group commit).
 */
public final class Journal implements Closeable {

    /** When appended records are forced to stable storage. */
    public enum FsyncPolicy { NEVER, INTERVAL, ALWAYS }

    public static final int MAX_RECORD = 16 * 1024 * 1024;
    private static final int HEADER = 8;
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d+)\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d+)\\.snap");
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path dir;
    private final FsyncPolicy fsync;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object syncLock = new Object();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final int segmentBytes;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private long segment;
    private long position;
    private volatile long syncedPosition;
    private volatile long syncedSegment;
    private volatile long recordsInSegment;

    private Journal(Path dir, FsyncPolicy fsync, int segmentBytes) {
        this.dir = dir;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
    }

    /** Default segment size: 64 MiB. */
    public static final int DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

    public static Journal open(Path dir, FsyncPolicy fsync) {
        return open(dir, fsync, DEFAULT_SEGMENT_BYTES);
    }

    public static Journal open(Path dir, FsyncPolicy fsync, int segmentBytes) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the journal directory " + dir, e);
        }
        return new Journal(dir, fsync, Math.max(64 * 1024, segmentBytes));
    }

    /** What recovery found. */
    public record Recovery(long snapshotRecords, long journalRecords, long truncatedBytes, long corruptSegments, long segment) {
    }

    /**
     * Reads the newest complete snapshot and every later segment, handing payloads to the
     * consumers in order, then opens a new segment for appending. Must be called once, first.
     */
    public Recovery recover(Consumer<byte[]> snapshotRecord, Consumer<byte[]> journalRecord) {
        try {
            deleteLeftovers();
            long snapshot = newestSnapshot();
            long snapshotRecords = 0;
            if (snapshot >= 0) {
                snapshotRecords = readSnapshot(snapshotPath(snapshot), snapshotRecord);
            }
            List<Long> segments = segments();
            long journalRecords = 0;
            long truncated = 0;
            long corrupt = 0;
            long last = snapshot >= 0 ? snapshot : 0;
            for (int i = 0; i < segments.size(); i++) {
                long s = segments.get(i);
                if (snapshot >= 0 && s < snapshot) {
                    continue;
                }
                boolean newest = i == segments.size() - 1;
                ReadResult r = readSegment(segmentPath(s), journalRecord);
                journalRecords += r.records;
                if (r.validEnd < r.size) {
                    if (newest || r.cleanEnd) {
                        try (FileChannel ch = FileChannel.open(segmentPath(s), StandardOpenOption.WRITE)) {
                            ch.truncate(r.validEnd);
                            ch.force(true);
                        }
                        if (!r.cleanEnd) {
                            truncated += r.size - r.validEnd;
                            LOG.warn("Journal segment {} ended in a torn record; truncated {} bytes after the last complete record",
                                    segmentPath(s).getFileName(), r.size - r.validEnd);
                        }
                    } else {
                        corrupt++;
                        LOG.error("Journal segment {} is corrupt at byte {} of {}; its remaining records were skipped",
                                segmentPath(s).getFileName(), r.validEnd, r.size);
                    }
                }
                last = Math.max(last, s);
            }
            openSegment(last + 1, segmentBytes);
            return new Recovery(snapshotRecords, journalRecords, truncated, corrupt, segment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot recover the journal in " + dir, e);
        }
    }

    /** Appends one record; returns once the operating system has it (and the disk, with ALWAYS). */
    public void append(byte[] payload) {
        append(payload, 0, payload.length);
    }

    public void append(byte[] payload, int offset, int length) {
        if (length > MAX_RECORD) {
            throw new IllegalArgumentException("journal record of " + length + " bytes exceeds " + MAX_RECORD);
        }
        int crc = crc(payload, offset, length);
        int size = HEADER + length;
        long end;
        long seg;
        appendLock.lock();
        try {
            if (position + size > mapped.capacity()) {
                closeSegment();
                openSegment(segment + 1, Math.max(segmentBytes, size));
            }
            int at = (int) position;
            // payload and checksum first, length last: a record is only there once its length is
            mapped.putInt(at + 4, crc);
            mapped.put(at + HEADER, payload, offset, length);
            mapped.putInt(at, length);
            position += size;
            recordsInSegment++;
            end = position;
            seg = segment;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the journal", e);
        } finally {
            appendLock.unlock();
        }
        bytesWritten.addAndGet(size);
        if (fsync == FsyncPolicy.ALWAYS) {
            syncUpTo(seg, end);
        }
    }

    private static int crc(byte[] payload, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(payload, offset, length);
        return (int) crc.getValue();
    }

    /** Group commit: one force covers every record written before it started. */
    private void syncUpTo(long seg, long end) {
        if (syncedSegment > seg || (syncedSegment == seg && syncedPosition >= end)) {
            return;
        }
        synchronized (syncLock) {
            if (syncedSegment > seg || (syncedSegment == seg && syncedPosition >= end)) {
                return;
            }
            force();
        }
    }

    /** Forces everything appended so far to the disk (used by INTERVAL from the registry's timer). */
    public void force() {
        long seg;
        long pos;
        MappedByteBuffer m;
        appendLock.lock();
        try {
            seg = segment;
            pos = position;
            m = mapped;
        } finally {
            appendLock.unlock();
        }
        synchronized (syncLock) {
            m.force(0, (int) pos);
            syncedSegment = seg;
            syncedPosition = pos;
        }
    }

    public FsyncPolicy fsyncPolicy() {
        return fsync;
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }

    public long recordsInCurrentSegment() {
        return recordsInSegment;
    }

    /**
     * Starts a new segment and returns its number. The caller must hold every writer back while
     * this runs and capture the state that a snapshot with this number will hold.
     */
    public long rotate() {
        appendLock.lock();
        try {
            closeSegment();
            openSegment(segment + 1, segmentBytes);
            return segment;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rotate the journal", e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Writes snapshot {@code number} (from {@link #rotate()}) atomically, then removes the segments
     * and snapshots it makes obsolete.
     */
    public void writeSnapshot(long number, Iterator<byte[]> records) {
        Path tmp = dir.resolve("snapshot-" + number + ".snap.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long count = 0;
            while (records.hasNext()) {
                byte[] payload = records.next();
                if (buffer.remaining() < payload.length + HEADER) {
                    buffer.flip();
                    writeFully(ch, buffer);
                    buffer.clear();
                    if (buffer.capacity() < payload.length + HEADER) {
                        buffer = ByteBuffer.allocate(payload.length + HEADER).order(ByteOrder.LITTLE_ENDIAN);
                    }
                }
                CRC32C crc = new CRC32C();
                crc.update(payload);
                buffer.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
                count++;
            }
            // trailer: a zero-length record carrying the count marks the snapshot complete
            if (buffer.remaining() < HEADER + 8) {
                buffer.flip();
                writeFully(ch, buffer);
                buffer.clear();
            }
            buffer.putInt(-1).putInt(0).putLong(count);
            buffer.flip();
            writeFully(ch, buffer);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write snapshot " + number, e);
        }
        try {
            try {
                Files.move(tmp, snapshotPath(number), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, snapshotPath(number), StandardCopyOption.REPLACE_EXISTING);
            }
            for (long s : segments()) {
                if (s < number) {
                    Files.deleteIfExists(segmentPath(s));
                }
            }
            for (long s : snapshots()) {
                if (s < number) {
                    Files.deleteIfExists(snapshotPath(s));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot install snapshot " + number, e);
        }
    }

    @Override
    public void close() {
        appendLock.lock();
        try {
            if (channel != null && channel.isOpen()) {
                closeSegment();
            }
        } catch (IOException e) {
            LOG.warn("Closing the journal failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Opens a new segment mapped into memory. Records are copied into the mapping, i.e. into the
     * operating system's page cache: no system call per record, and a crash of the process loses
     * nothing the mapping holds. The unused end of a segment stays zero, which readers take as its end.
     */
    private void openSegment(long number, int bytes) throws IOException {
        channel = FileChannel.open(segmentPath(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        segment = number;
        position = 0;
        recordsInSegment = 0;
    }

    /** Forces the segment, cuts off its unused end and closes it. */
    private void closeSegment() throws IOException {
        mapped.force(0, (int) position);
        channel.truncate(position);
        channel.force(true);
        channel.close();
    }

    private record ReadResult(long records, long validEnd, long size, boolean cleanEnd) {
    }

    private static ReadResult readSegment(Path file, Consumer<byte[]> consumer) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            RecordReader reader = new RecordReader(ch);
            long records = 0;
            byte[] payload;
            while ((payload = reader.next()) != null) {
                consumer.accept(payload);
                records++;
            }
            return new ReadResult(records, reader.validEnd, size, reader.cleanEnd || reader.validEnd == size);
        }
    }

    private static long readSnapshot(Path file, Consumer<byte[]> consumer) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            RecordReader reader = new RecordReader(ch);
            long records = 0;
            byte[] payload;
            while ((payload = reader.next()) != null) {
                consumer.accept(payload);
                records++;
            }
            if (!reader.trailer || reader.trailerCount != records) {
                throw new IOException("snapshot " + file.getFileName() + " is incomplete (" + records + " records read)");
            }
            return records;
        }
    }

    /** Reads framed records through a large buffer that grows for big records. */
    private static final class RecordReader {
        private final FileChannel ch;
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long validEnd;
        private boolean eof;
        private boolean trailer;
        private long trailerCount;
        private boolean cleanEnd;

        RecordReader(FileChannel ch) {
            this.ch = ch;
            buffer.limit(0);
        }

        byte[] next() throws IOException {
            if (trailer || !ensure(HEADER)) {
                return null;
            }
            int length = buffer.getInt(buffer.position());
            int crc = buffer.getInt(buffer.position() + 4);
            if (length == -1) {
                if (!ensure(HEADER + 8)) {
                    return null;
                }
                buffer.position(buffer.position() + HEADER);
                trailerCount = buffer.getLong();
                trailer = true;
                return null;
            }
            if (length == 0) {
                cleanEnd = true; // the unused, zeroed end of a mapped segment (or a record whose length was never written)
                return null;
            }
            if (length < 0 || length > MAX_RECORD || !ensure(HEADER + length)) {
                return null;
            }
            buffer.position(buffer.position() + HEADER);
            byte[] payload = new byte[length];
            buffer.get(payload);
            CRC32C c = new CRC32C();
            c.update(payload);
            if ((int) c.getValue() != crc) {
                return null;
            }
            validEnd += HEADER + length;
            return payload;
        }

        /** Makes at least n bytes readable at the buffer's position, unless the file ends first. */
        private boolean ensure(int n) throws IOException {
            if (buffer.remaining() >= n) {
                return true;
            }
            if (eof) {
                return false;
            }
            if (buffer.capacity() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
                bigger.put(buffer);
                buffer = bigger;
            } else {
                buffer.compact();
            }
            while (buffer.position() < n) {
                if (ch.read(buffer) < 0) {
                    eof = true;
                    break;
                }
            }
            buffer.flip();
            return buffer.remaining() >= n;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private void deleteLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private long newestSnapshot() throws IOException {
        List<Long> snaps = snapshots();
        return snaps.isEmpty() ? -1 : snaps.get(snaps.size() - 1);
    }

    private List<Long> segments() throws IOException {
        return numbered(SEGMENT);
    }

    private List<Long> snapshots() throws IOException {
        return numbered(SNAPSHOT);
    }

    private List<Long> numbered(Pattern pattern) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1)));
                }
            });
        }
        out.sort(null);
        return out;
    }

    private Path segmentPath(long n) {
        return dir.resolve("journal-" + n + ".log");
    }

    private Path snapshotPath(long n) {
        return dir.resolve("snapshot-" + n + ".snap");
    }
}
