package io.rosetta.security.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A Karaf credential file in properties syntax ({@code etc/users.properties}, {@code etc/keys.properties}).
 * Entries are only ever appended: comments and existing entries stay exactly as the administrator wrote
 * them. Every change replaces the file atomically and leaves it readable by its owner only.
 */
final class CredentialFile {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;

    CredentialFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** Whether the file defines {@code key} (a user name, or a group as {@code _g_:name}). */
    boolean has(String key) throws IOException {
        return load().containsKey(key);
    }

    /**
     * Appends the entries whose keys the file does not define yet, in the given order.
     *
     * @return the keys that were added
     */
    Set<String> appendMissing(Map<String, String> entries) throws IOException {
        Properties existing = load();
        Map<String, String> missing = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            if (!existing.containsKey(key)) {
                missing.put(key, value);
            }
        });
        if (missing.isEmpty()) {
            return Set.of();
        }
        StringBuilder text = new StringBuilder(Files.exists(path) ? Files.readString(path, StandardCharsets.ISO_8859_1) : "");
        if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
        missing.forEach((key, value) -> text.append(escapeKey(key)).append(" = ").append(escapeValue(value)).append('\n'));
        replace(text.toString());
        return missing.keySet();
    }

    private Properties load() throws IOException {
        Properties properties = new Properties();
        if (Files.exists(path)) {
            properties.load(new StringReader(Files.readString(path, StandardCharsets.ISO_8859_1)));
        }
        return properties;
    }

    private void replace(String content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            ownerOnly(tmp);
            Files.writeString(tmp, content, StandardCharsets.ISO_8859_1);
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the permissions of its folder
        }
    }

    static String escapeKey(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (char c : key.toCharArray()) {
            switch (c) {
                case ':', '=', ' ', '#', '!', '\\' -> out.append('\\').append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeValue(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a credential entry must be a single line");
        }
        return value.replace("\\", "\\\\");
    }
}
