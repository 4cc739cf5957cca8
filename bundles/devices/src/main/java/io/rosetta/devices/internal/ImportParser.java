package io.rosetta.devices.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.rosetta.core.json.InvalidJsonException;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.devices.DeviceException;
import io.rosetta.devices.DeviceSpec;
import io.rosetta.devices.ImportFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads fleet import files into rows. A file that cannot be read as a whole (bad CSV quoting, invalid JSON, unknown or
 * duplicate columns, more rows than allowed) is refused with one {@link DeviceException} naming the line; a row that
 * cannot become a {@link DeviceSpec} (a cell count that does not match the header, a field of the wrong JSON type,
 * an unknown field) becomes a row error, checked with the others.
 *
 * <p>CSV: RFC 4180 (Apache Commons CSV), UTF-8, a header row, {@code #} comment lines, blank lines ignored, cells
 * trimmed, an empty cell is no value. Columns (case-insensitive): {@value #COLUMNS_TEXT}, and {@code config.<key>} for
 * one configuration value each (written as JSON when it is JSON: {@code 30}, {@code true}, {@code {"a":1}}, else as
 * text). JSON: an array of objects with the same field names ({@code configuration} an object), or
 * {@code {"devices":[...]}}.
 */
public final class ImportParser {

    /** One row as read: where it is, and the spec or why it could not become one. */
    record Row(int row, DeviceSpec spec, String deviceId, String error, String message) {

        static Row ok(int row, DeviceSpec spec) {
            return new Row(row, spec, spec.deviceId(), null, null);
        }

        static Row bad(int row, String deviceId, String message) {
            return new Row(row, null, deviceId, DeviceException.IMPORT_INVALID, message);
        }
    }

    static final String COLUMNS_TEXT = "deviceId, thingId, binding, model, mqttUsername, mqttPassword, mqttPasswordHash, pskIdentity, "
            + "pskKey, x509Sha256, configuration";
    static final List<String> FIELDS = List.of("deviceId", "thingId", "binding", "model", "mqttUsername", "mqttPassword",
            "mqttPasswordHash", "pskIdentity", "pskKey", "x509Sha256", "configuration");
    private static final Map<String, String> BY_LOWER_CASE = new LinkedHashMap<>();
    private static final String CONFIG_PREFIX = "config.";

    static {
        FIELDS.forEach(f -> BY_LOWER_CASE.put(f.toLowerCase(Locale.ROOT), f));
    }

    private ImportParser() {
    }

    static List<Row> parse(ImportFormat format, InputStream in, int maxRows) {
        return switch (format) {
            case CSV -> csv(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), maxRows);
            case JSON -> json(in, maxRows);
        };
    }

    // ---- CSV ------------------------------------------------------------------------------------------------------

    static List<Row> csv(Reader reader, int maxRows) {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
                .setIgnoreEmptyLines(true).setTrim(true).setIgnoreSurroundingSpaces(true)
                .setDuplicateHeaderMode(org.apache.commons.csv.DuplicateHeaderMode.ALLOW_ALL).get();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                throw invalidFile("the CSV file is empty: its first line must name the columns (" + COLUMNS_TEXT + ")");
            }
            List<String> columns = new ArrayList<>(header.size());
            for (String h : header) {
                String c = column(h);
                if (columns.contains(c)) {
                    throw invalidFile("the CSV header names the column '" + c + "' twice");
                }
                columns.add(c);
            }
            if (!columns.contains("deviceId")) {
                throw invalidFile("the CSV header has no deviceId column (columns: " + COLUMNS_TEXT + ", config.<key>)");
            }
            for (CSVRecord record : parser) {
                if (rows.size() >= maxRows) {
                    throw invalidFile("the file has more than " + maxRows + " rows (import.max.rows)");
                }
                int line = startLine(parser.getCurrentLineNumber(), record);
                rows.add(csvRow(line, record, columns));
            }
        } catch (UncheckedIOException e) {
            throw invalidFile(csvMessage(e.getCause()));
        } catch (IOException e) {
            throw invalidFile(csvMessage(e));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalidFile("the CSV header is not valid: " + e.getMessage());
        }
        return rows;
    }

    private static String csvMessage(Throwable e) {
        if (e instanceof CharacterCodingException) {
            return "the CSV file is not UTF-8 text";
        }
        String m = e == null ? "unreadable" : e.getMessage();
        return "the CSV file is malformed: " + (m == null ? e.getClass().getSimpleName() : m);
    }

    /** The line a record starts on: its last line less the line breaks inside its (quoted) cells. */
    private static int startLine(long endLine, CSVRecord record) {
        long breaks = 0;
        for (String v : record) {
            breaks += v.chars().filter(c -> c == '\n').count();
        }
        return (int) Math.max(2, endLine - breaks);
    }

    private static String column(String header) {
        String h = header.trim();
        if (h.regionMatches(true, 0, CONFIG_PREFIX, 0, CONFIG_PREFIX.length()) && h.length() > CONFIG_PREFIX.length()) {
            return CONFIG_PREFIX + h.substring(CONFIG_PREFIX.length());
        }
        String known = BY_LOWER_CASE.get(h.toLowerCase(Locale.ROOT));
        if (known == null) {
            throw invalidFile("unknown CSV column '" + header + "' (columns: " + COLUMNS_TEXT + ", config.<key>)");
        }
        return known;
    }

    private static Row csvRow(int line, CSVRecord record, List<String> columns) {
        String deviceId = record.size() > columns.indexOf("deviceId") ? blankToNull(record.get(columns.indexOf("deviceId"))) : null;
        if (record.size() != columns.size()) {
            return Row.bad(line, deviceId, "the row has " + record.size() + " cells but the header names " + columns.size() + " columns");
        }
        Map<String, String> values = new LinkedHashMap<>();
        JsonObject.Builder config = null;
        JsonObject configuration = null;
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            String value = blankToNull(record.get(i));
            if (value == null) {
                continue;
            }
            if (column.startsWith(CONFIG_PREFIX)) {
                if (config == null) {
                    config = JsonObject.newBuilder();
                }
                config.set(column.substring(CONFIG_PREFIX.length()), cellValue(value));
            } else if (column.equals("configuration")) {
                try {
                    configuration = Json.parseObject(value);
                } catch (InvalidJsonException e) {
                    return Row.bad(line, deviceId, "the configuration cell is not a JSON object: " + e.getMessage());
                }
            } else {
                values.put(column, value);
            }
        }
        if (config != null) {
            JsonObject c = config.build();
            configuration = configuration == null ? c : configuration.setAll(c);
        }
        return Row.ok(line, spec(values, configuration));
    }

    /** A configuration cell: JSON when it is JSON ({@code 30}, {@code true}, {@code "x"}, {@code {..}}), else text. */
    static JsonValue cellValue(String text) {
        char c = text.charAt(0);
        if (c == '{' || c == '[' || c == '"' || c == '-' || Character.isDigit(c) || text.equals("true") || text.equals("false")
                || text.equals("null")) {
            try {
                return Json.parse(text);
            } catch (InvalidJsonException e) {
                return JsonString.of(text);
            }
        }
        return JsonString.of(text);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    // ---- JSON -----------------------------------------------------------------------------------------------------

    static List<Row> json(InputStream in, int maxRows) {
        List<Row> rows = new ArrayList<>();
        try (JsonParser p = Json.factory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                JsonToken f = p.nextToken();
                if (f != JsonToken.FIELD_NAME || !"devices".equals(p.currentName())) {
                    throw invalidFile("the JSON file must be an array of devices or an object {\"devices\":[...]}" + at(p.currentLocation()));
                }
                t = p.nextToken();
            }
            if (t != JsonToken.START_ARRAY) {
                throw invalidFile("the JSON file must be an array of devices or an object {\"devices\":[...]}" + at(p.currentLocation()));
            }
            int index = 0;
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (e == null) {
                    throw invalidFile("the JSON array of devices is not closed");
                }
                if (rows.size() >= maxRows) {
                    throw invalidFile("the file has more than " + maxRows + " rows (import.max.rows)");
                }
                index++;
                rows.add(jsonRow(index, Json.read(p, e)));
            }
        } catch (JsonProcessingException e) {
            throw invalidFile("the JSON file is malformed: " + e.getOriginalMessage() + at(e.getLocation()));
        } catch (InvalidJsonException e) {
            throw invalidFile("the JSON file is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw invalidFile("the JSON file cannot be read: " + e.getMessage());
        }
        return rows;
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static final Set<String> JSON_FIELDS = Set.copyOf(FIELDS);

    static Row jsonRow(int index, JsonValue value) {
        if (!(value instanceof JsonObject o)) {
            return Row.bad(index, null, "a device must be a JSON object, not " + value.typeName());
        }
        String deviceId = o.getOrNull("deviceId") instanceof JsonString s ? s.value() : null;
        Map<String, String> values = new LinkedHashMap<>();
        JsonObject configuration = null;
        for (Map.Entry<String, JsonValue> e : o) {
            String field = e.getKey();
            JsonValue v = e.getValue();
            if (!JSON_FIELDS.contains(field)) {
                return Row.bad(index, deviceId, "unknown field '" + field + "' (fields: " + COLUMNS_TEXT + ")");
            }
            if (v.isNull()) {
                continue;
            }
            if (field.equals("configuration")) {
                if (!(v instanceof JsonObject c)) {
                    return Row.bad(index, deviceId, "configuration must be a JSON object, not " + v.typeName());
                }
                configuration = c;
            } else if (v instanceof JsonString s) {
                if (!s.value().isBlank()) {
                    values.put(field, s.value().trim());
                }
            } else {
                return Row.bad(index, deviceId, field + " must be a string, not " + v.typeName());
            }
        }
        return Row.ok(index, spec(values, configuration));
    }

    /** A device spec from the fields of a JSON object (the API's single provisioning), as a row would be read. */
    public static DeviceSpec spec(JsonObject o) {
        Row row = jsonRow(1, o);
        if (row.spec() == null) {
            throw DeviceException.invalid(DeviceException.INVALID, row.message());
        }
        return row.spec();
    }

    private static DeviceSpec spec(Map<String, String> v, JsonObject configuration) {
        return new DeviceSpec(v.get("deviceId"), v.get("thingId"), v.get("binding"), v.get("model"), v.get("mqttUsername"),
                v.get("mqttPassword"), v.get("mqttPasswordHash"), v.get("pskIdentity"), v.get("pskKey"), v.get("x509Sha256"),
                configuration);
    }

    private static DeviceException invalidFile(String message) {
        return new DeviceException(400, DeviceException.IMPORT_INVALID, "The import file is refused: " + message + ". Nothing was imported.",
                "Fix the file and import it again; see docs/ADMIN.md for the formats.");
    }
}
