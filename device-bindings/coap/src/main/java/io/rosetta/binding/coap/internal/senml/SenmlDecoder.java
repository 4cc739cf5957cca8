package io.rosetta.binding.coap.internal.senml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a SenML pack (RFC 8428) in its JSON ({@code application/senml+json}) or CBOR
 * ({@code application/senml+cbor}, integer labels) representation and resolves it: base name, base
 * time, base unit, base value and base sum applied, relative times made absolute against "now".
 * Both representations go through the same streaming reader (Jackson's JSON and CBOR parsers).
 */
public final class SenmlDecoder {

    /** Times below 2^28 s are relative to now (RFC 8428 section 4.5.3). */
    static final double RELATIVE_LIMIT = 268_435_456d;
    /** The highest SenML version this reader understands. */
    static final int VERSION = 10;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9\\-:./_]*");
    /** CBOR labels (RFC 8428 section 6, table 6). */
    private static final Map<String, String> CBOR_LABELS = Map.ofEntries(
            Map.entry("-1", "bver"), Map.entry("-2", "bn"), Map.entry("-3", "bt"), Map.entry("-4", "bu"),
            Map.entry("-5", "bv"), Map.entry("-6", "bs"), Map.entry("0", "n"), Map.entry("1", "u"), Map.entry("2", "v"),
            Map.entry("3", "vs"), Map.entry("4", "vb"), Map.entry("5", "s"), Map.entry("6", "t"), Map.entry("7", "ut"),
            Map.entry("8", "vd"));

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final CBORFactory CBOR = CBORFactory.builder().build();

    private final int maxRecords;

    public SenmlDecoder(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    public List<SenmlRecord> decodeJson(byte[] payload, double now) throws SenmlException {
        return decodeJson(payload, now, null);
    }

    public List<SenmlRecord> decodeCbor(byte[] payload, double now) throws SenmlException {
        return decodeCbor(payload, now, null);
    }

    /** As {@link #decodeJson(byte[], double)}; records without any name get {@code defaultName} (an observed resource's). */
    public List<SenmlRecord> decodeJson(byte[] payload, double now, String defaultName) throws SenmlException {
        try (JsonParser p = JSON.createParser(payload)) {
            return resolve(read(p, false), now, defaultName);
        } catch (IOException e) {
            throw new SenmlException("malformed SenML JSON: " + firstLine(e));
        }
    }

    public List<SenmlRecord> decodeCbor(byte[] payload, double now, String defaultName) throws SenmlException {
        try (JsonParser p = CBOR.createParser(payload)) {
            return resolve(read(p, true), now, defaultName);
        } catch (IOException e) {
            throw new SenmlException("malformed SenML CBOR: " + firstLine(e));
        }
    }

    /** The raw records: each a map from label to value, in order. */
    private List<Map<String, JsonValue>> read(JsonParser p, boolean cbor) throws IOException, SenmlException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new SenmlException("a SenML pack is an array of records");
        }
        List<Map<String, JsonValue>> records = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new SenmlException("record " + records.size() + " is not a map");
            }
            if (records.size() == maxRecords) {
                throw new SenmlException("more than " + maxRecords + " records");
            }
            Map<String, JsonValue> record = new LinkedHashMap<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String label = p.currentName();
                if (cbor) {
                    String named = CBOR_LABELS.get(label);
                    label = named != null ? named : label;
                }
                JsonValue value = scalar(p, p.nextToken(), label, records.size());
                if (record.put(label, value) != null) {
                    throw new SenmlException("record " + records.size() + " has '" + label + "' twice");
                }
            }
            records.add(record);
        }
        if (p.nextToken() != null) {
            throw new SenmlException("trailing content after the pack");
        }
        return records;
    }

    private static JsonValue scalar(JsonParser p, JsonToken t, String label, int index) throws IOException, SenmlException {
        return switch (t) {
            case VALUE_STRING -> JsonString.of(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw new SenmlException("record " + index + ": '" + label + "' is not a finite number");
                }
                yield t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        ? JsonNumber.of(p.getLongValue()) : JsonNumber.of(d);
            }
            case VALUE_TRUE -> JsonBoolean.TRUE;
            case VALUE_FALSE -> JsonBoolean.FALSE;
            case VALUE_EMBEDDED_OBJECT -> {
                Object o = p.getEmbeddedObject();
                if (o instanceof byte[] bytes) {
                    yield JsonString.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                }
                throw new SenmlException("record " + index + ": '" + label + "' has an unsupported value");
            }
            default -> throw new SenmlException("record " + index + ": '" + label + "' must be a number, string or boolean, not "
                    + t.asString());
        };
    }

    /** Resolves the records as RFC 8428 section 4.6 describes. */
    static List<SenmlRecord> resolve(List<Map<String, JsonValue>> raw, double now, String defaultName) throws SenmlException {
        String bn = "";
        double bt = 0;
        String bu = null;
        double bv = 0;
        double bs = 0;
        boolean hasBs = false;
        List<SenmlRecord> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            Map<String, JsonValue> r = raw.get(i);
            for (String label : r.keySet()) {
                if (label.endsWith("_")) {
                    throw new SenmlException("record " + i + ": field '" + label + "' must be understood but is not supported");
                }
            }
            if (r.containsKey("bver")) {
                double version = number(r, "bver", i);
                if (version != Math.rint(version) || version < 1 || version > VERSION) {
                    throw new SenmlException("record " + i + ": SenML version " + r.get("bver") + " is not supported (1.." + VERSION + ")");
                }
            }
            if (r.containsKey("bn")) {
                bn = string(r, "bn", i);
            }
            if (r.containsKey("bt")) {
                bt = number(r, "bt", i);
            }
            if (r.containsKey("bu")) {
                bu = string(r, "bu", i);
            }
            if (r.containsKey("bv")) {
                bv = number(r, "bv", i);
            }
            if (r.containsKey("bs")) {
                bs = number(r, "bs", i);
                hasBs = true;
            }
            int values = (r.containsKey("v") ? 1 : 0) + (r.containsKey("vs") ? 1 : 0) + (r.containsKey("vb") ? 1 : 0)
                    + (r.containsKey("vd") ? 1 : 0);
            if (values > 1) {
                throw new SenmlException("record " + i + " has more than one value field");
            }
            boolean hasSum = r.containsKey("s");
            if (values == 0 && !hasSum) {
                if (r.containsKey("n") || r.containsKey("u") || r.containsKey("t")) {
                    throw new SenmlException("record " + i + " has neither a value nor a sum");
                }
                continue; // only base fields: they apply to the records that follow
            }
            String name = bn + (r.containsKey("n") ? string(r, "n", i) : "");
            if (name.isEmpty() && defaultName != null) {
                name = defaultName;
            }
            if (!NAME.matcher(name).matches()) {
                throw new SenmlException("record " + i + ": '" + name + "' is not a valid SenML name");
            }
            double time = bt + (r.containsKey("t") ? number(r, "t", i) : 0);
            if (time < RELATIVE_LIMIT) {
                time = now + time;
            }
            String unit = r.containsKey("u") ? string(r, "u", i) : bu;
            JsonValue value = null;
            if (r.containsKey("v")) {
                double v = bv + number(r, "v", i);
                value = bv == 0 ? r.get("v") : JsonNumber.of(v);
            } else if (r.containsKey("vs")) {
                value = JsonString.of(string(r, "vs", i));
            } else if (r.containsKey("vb")) {
                if (!(r.get("vb") instanceof JsonBoolean)) {
                    throw new SenmlException("record " + i + ": 'vb' must be a boolean");
                }
                value = r.get("vb");
            } else if (r.containsKey("vd")) {
                value = JsonString.of(string(r, "vd", i));
            }
            Double sum = hasSum ? Double.valueOf(bs + number(r, "s", i)) : null;
            if (!hasSum && hasBs && value == null) {
                sum = bs;
            }
            out.add(new SenmlRecord(name, unit, value, sum, time));
        }
        return out;
    }

    private static double number(Map<String, JsonValue> r, String label, int i) throws SenmlException {
        if (r.get(label) instanceof JsonNumber n) {
            return n.doubleValue();
        }
        throw new SenmlException("record " + i + ": '" + label + "' must be a number");
    }

    private static String string(Map<String, JsonValue> r, String label, int i) throws SenmlException {
        if (r.get(label) instanceof JsonString s) {
            return s.value();
        }
        throw new SenmlException("record " + i + ": '" + label + "' must be a string");
    }

    private static String firstLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
