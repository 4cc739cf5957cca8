package io.rosetta.binding.coap.internal.dtls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw public keys trusted by configuration: {@code rpk.<endpoint>} entries and the files of {@code rpkDir}
 * ({@code <endpoint>.pem} or {@code <endpoint>.der}, a SubjectPublicKeyInfo). The directory is read again when
 * it changed (a file added, removed or renamed), at most once a second: a key can be added or withdrawn
 * while the server runs. A file that is not a public key is logged and skipped.
 */
public final class ConfiguredTrustedKeys implements TrustedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredTrustedKeys.class);
    private static final long RESCAN_MILLIS = 1000;

    private final Map<ByteBuffer, String> fixed;
    private final Path dir;
    private final Clock clock;
    private volatile Map<ByteBuffer, String> fromDir = Map.of();
    private FileTime scanned;
    private long lastCheck = Long.MIN_VALUE;

    public ConfiguredTrustedKeys(Map<String, byte[]> configured, Path dir) {
        this(configured, dir, Clock.systemUTC());
    }

    ConfiguredTrustedKeys(Map<String, byte[]> configured, Path dir, Clock clock) {
        Map<ByteBuffer, String> m = new HashMap<>();
        configured.forEach((endpoint, der) -> m.put(ByteBuffer.wrap(der.clone()), endpoint));
        this.fixed = Map.copyOf(m);
        this.dir = dir;
        this.clock = clock;
        if (dir != null) {
            rescan(true);
        }
    }

    @Override
    public Optional<String> endpoint(PublicKey key) {
        ByteBuffer k = ByteBuffer.wrap(key.getEncoded());
        String ep = fixed.get(k);
        if (ep != null) {
            return Optional.of(ep);
        }
        if (dir != null) {
            rescan(false);
            return Optional.ofNullable(fromDir.get(k));
        }
        return Optional.empty();
    }

    /** How many keys are trusted now. */
    public int size() {
        if (dir != null) {
            rescan(false);
        }
        return fixed.size() + fromDir.size();
    }

    private synchronized void rescan(boolean force) {
        long now = clock.millis();
        if (!force && now - lastCheck < RESCAN_MILLIS) {
            return;
        }
        lastCheck = now;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            if (fromDir.size() > 0 || force) {
                LOG.warn("Trusted raw public keys cannot be read from {}: {}", dir, e.getMessage());
            }
            fromDir = Map.of();
            scanned = null;
            return;
        }
        if (!force && modified.equals(scanned)) {
            return;
        }
        Map<ByteBuffer, String> m = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{pem,der}")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String endpoint = name.substring(0, name.lastIndexOf('.'));
                try {
                    byte[] der = KeyFiles.subjectPublicKeyInfo(f.toString(), Files.readAllBytes(f));
                    String previous = m.put(ByteBuffer.wrap(der), endpoint);
                    if (previous != null && !previous.equals(endpoint)) {
                        LOG.warn("The raw public key of {} is also the key of '{}'; it authenticates '{}' only", f, previous, endpoint);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("Skipped {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("Trusted raw public keys cannot be read from {}: {}", dir, e.getMessage());
            return;
        }
        fromDir = Map.copyOf(m);
        scanned = modified;
        LOG.debug("{} trusted raw public keys in {}", m.size(), dir);
    }
}
