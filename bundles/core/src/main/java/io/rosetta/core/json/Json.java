package io.rosetta.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads and writes {@link JsonValue}s with Jackson's streaming parser and generator (no tree
 * model in between). Field names are interned by the parser, so the keys of a million resident
 * twins share one copy each. Floating-point numbers are read and written with Jackson's fast
 * algorithms (FastDoubleParser, Schubfach): the same doubles, written in their shortest form.
 */
public final class Json {

    /** Deepest nesting accepted from outside; deeper input is refused as invalid. */
    public static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private Json() {
    }

    /** The shared Jackson factory, for callers that stream themselves. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    public static JsonValue parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parseWhole(p);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("Invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonValue parse(byte[] utf8) {
        return parse(utf8, 0, utf8.length);
    }

    public static JsonValue parse(byte[] utf8, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(utf8, offset, length)) {
            return parseWhole(p);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("Invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonValue parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            return parseWhole(p);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("Invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses text that must be a JSON object. */
    public static JsonObject parseObject(String text) {
        JsonValue v = parse(text);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new InvalidJsonException("Expected a JSON object but got " + v.typeName());
    }

    private static JsonValue parseWhole(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new InvalidJsonException("Invalid JSON: no content");
        }
        JsonValue v = read(p, t, new Scratch());
        if (p.nextToken() != null) {
            throw new InvalidJsonException("Invalid JSON: trailing content after the value at " + p.currentLocation().getCharOffset());
        }
        return v;
    }

    /** Reads the value that starts at the parser's current token. */
    public static JsonValue read(JsonParser p, JsonToken t) throws IOException {
        return read(p, t, new Scratch());
    }

    /**
     * The members of the objects and arrays being read, as one stack for the whole document: each object or array
     * is built from its slice once it is complete, into arrays of its exact size (no builders, no copies).
     */
    private static final class Scratch {
        private String[] keys = new String[16];
        private JsonValue[] values = new JsonValue[16];
        private int top;

        void push(String key, JsonValue value) {
            if (top == values.length) {
                keys = Arrays.copyOf(keys, top * 2);
                values = Arrays.copyOf(values, top * 2);
            }
            keys[top] = key;
            values[top++] = value;
        }

        /** A repeated key in the object that starts at {@code from} replaces the earlier value, in its place. */
        void put(int from, String key, JsonValue value) {
            for (int i = from; i < top; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return;
                }
            }
            push(key, value);
        }

        JsonObject object(int from) {
            String[] k = Arrays.copyOfRange(keys, from, top);
            JsonValue[] v = Arrays.copyOfRange(values, from, top);
            pop(from);
            return JsonObject.wrap(k, v);
        }

        JsonArray array(int from) {
            JsonValue[] v = Arrays.copyOfRange(values, from, top);
            pop(from);
            return JsonArray.wrap(v);
        }

        private void pop(int from) {
            top = from; // what stays above is overwritten or dies with the scratch after the document
        }
    }

    private static JsonValue read(JsonParser p, JsonToken t, Scratch scratch) throws IOException {
        switch (t) {
            case START_OBJECT: {
                int from = scratch.top;
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonValue value = read(p, p.nextToken(), scratch);
                    scratch.put(from, name, value);
                }
                if (n != JsonToken.END_OBJECT) {
                    throw new InvalidJsonException("Invalid JSON: unexpected " + n);
                }
                return scratch.object(from);
            }
            case START_ARRAY: {
                int from = scratch.top;
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (n == null) {
                        throw new InvalidJsonException("Invalid JSON: unterminated array");
                    }
                    JsonValue value = read(p, n, scratch);
                    scratch.push(null, value);
                }
                return scratch.array(from);
            }
            case VALUE_STRING:
                return JsonString.of(p.getText());
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return JsonNumber.of(p.getDoubleValue());
                }
                return JsonNumber.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return JsonNumber.of(p.getDoubleValue());
            case VALUE_TRUE:
                return JsonBoolean.TRUE;
            case VALUE_FALSE:
                return JsonBoolean.FALSE;
            case VALUE_NULL:
                return JsonNull.INSTANCE;
            default:
                throw new InvalidJsonException("Invalid JSON: unexpected " + t);
        }
    }

    public static String write(JsonValue value) {
        StringWriter w = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static String writePretty(JsonValue value) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    public static byte[] writeBytes(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        writeTo(out, value);
        return out.toByteArray();
    }

    public static void writeTo(OutputStream out, JsonValue value) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a value with a generator the caller owns. */
    public static void write(JsonGenerator g, JsonValue value) throws IOException {
        if (value instanceof JsonObject o) {
            g.writeStartObject();
            for (int i = 0; i < o.size(); i++) {
                g.writeFieldName(o.keyAt(i));
                write(g, o.valueAt(i));
            }
            g.writeEndObject();
        } else if (value instanceof JsonArray a) {
            g.writeStartArray();
            for (int i = 0; i < a.size(); i++) {
                write(g, a.get(i));
            }
            g.writeEndArray();
        } else if (value instanceof JsonString s) {
            g.writeString(s.value());
        } else if (value instanceof JsonNumber.Int n) {
            g.writeNumber(n.longValue());
        } else if (value instanceof JsonNumber n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof JsonBoolean b) {
            g.writeBoolean(b.value());
        } else {
            g.writeNull();
        }
    }
}
