package io.rosetta.devices;

import java.util.Locale;
import java.util.Optional;

/** The formats of fleet import files. */
public enum ImportFormat {
    /** RFC 4180 CSV with a header row naming the columns (see docs/ADMIN.md). */
    CSV,
    /** A JSON array of device objects, or an object {@code {"devices":[...]}}. */
    JSON;

    /** By a file name's extension ({@code .csv}, {@code .json}). */
    public static Optional<ImportFormat> ofFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (n.endsWith(".json")) {
            return Optional.of(JSON);
        }
        return Optional.empty();
    }

    /** By an HTTP {@code Content-Type} ({@code text/csv}, {@code application/json}, parameters ignored). */
    public static Optional<ImportFormat> ofMediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semicolon = t.indexOf(';');
        t = (semicolon < 0 ? t : t.substring(0, semicolon)).trim();
        return switch (t) {
            case "text/csv", "application/csv" -> Optional.of(CSV);
            case "application/json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }
}
