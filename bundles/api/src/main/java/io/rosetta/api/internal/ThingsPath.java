package io.rosetta.api.internal;

import io.rosetta.core.json.InvalidJsonPointerException;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request path below {@code /api/2/things}, resolved into the resource it names and the JSON
 * pointer of that resource inside the thing's Ditto JSON. Path segments are percent-decoded; the
 * part after {@code attributes}, {@code properties} or {@code desiredProperties} is a JSON pointer
 * (RFC 6901: {@code ~1} is a '/', {@code ~0} a '~').
 */
record ThingsPath(Resource resource, ThingId thingId, String featureId, JsonPointer pointer) {

    private static final List<String> READ_WRITE = List.of("GET", "PUT", "PATCH", "DELETE");

    /** The resources of Ditto's things API v2 and the methods each one allows. */
    enum Resource {
        THINGS(List.of("GET", "POST")),
        THING(READ_WRITE),
        ATTRIBUTES(READ_WRITE),
        ATTRIBUTE(READ_WRITE),
        FEATURES(READ_WRITE),
        FEATURE(READ_WRITE),
        PROPERTIES(READ_WRITE),
        PROPERTY(READ_WRITE),
        DESIRED_PROPERTIES(READ_WRITE),
        DESIRED_PROPERTY(READ_WRITE),
        FEATURE_DEFINITION(READ_WRITE),
        DEFINITION(READ_WRITE),
        POLICY_ID(List.of("GET", "PUT"));

        private final List<String> methods;

        Resource(List<String> methods) {
            this.methods = methods;
        }

        List<String> methods() {
            return methods;
        }

        /** Whether GET on it accepts a {@code fields} selection (its value is a JSON object). */
        boolean selectable() {
            return this == THING || this == ATTRIBUTES || this == FEATURES || this == FEATURE || this == PROPERTIES
                    || this == DESIRED_PROPERTIES;
        }
    }

    /**
     * Resolves a raw (still percent-encoded) path that starts with {@code base}.
     *
     * @throws io.rosetta.core.model.TwinException 404 for a path that names no resource, 400 for an
     *         invalid thing id or JSON pointer
     */
    static ThingsPath parse(String base, String rawPath) {
        String rest = rawPath.substring(base.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return new ThingsPath(Resource.THINGS, null, null, JsonPointer.empty());
        }
        if (rest.charAt(0) != '/') {
            throw ApiErrors.resourceNotFound(rawPath);
        }
        String[] s = rest.substring(1).split("/", -1);
        ThingId id = ThingId.of(decode(s[0]));
        if (s.length == 1) {
            return new ThingsPath(Resource.THING, id, null, JsonPointer.empty());
        }
        switch (s[1]) {
            case "attributes" -> {
                return s.length == 2 ? new ThingsPath(Resource.ATTRIBUTES, id, null, JsonPointer.of("attributes"))
                        : new ThingsPath(Resource.ATTRIBUTE, id, null, JsonPointer.of("attributes").append(pointer(s, 2)));
            }
            case "definition", "policyId" -> {
                if (s.length > 2) {
                    throw ApiErrors.resourceNotFound(rawPath);
                }
                return new ThingsPath(s[1].equals("definition") ? Resource.DEFINITION : Resource.POLICY_ID, id, null, JsonPointer.of(s[1]));
            }
            case "features" -> {
                return feature(rawPath, s, id);
            }
            default -> throw ApiErrors.resourceNotFound(rawPath);
        }
    }

    private static ThingsPath feature(String rawPath, String[] s, ThingId id) {
        if (s.length == 2) {
            return new ThingsPath(Resource.FEATURES, id, null, JsonPointer.of("features"));
        }
        String featureId = decode(s[2]);
        if (featureId.isEmpty()) {
            throw ApiErrors.invalidPointer("The feature id in '" + rawPath + "' is empty.");
        }
        JsonPointer feature = JsonPointer.of("features", featureId);
        if (s.length == 3) {
            return new ThingsPath(Resource.FEATURE, id, featureId, feature);
        }
        String member = s[3];
        switch (member) {
            case "properties", "desiredProperties" -> {
                boolean desired = member.equals("desiredProperties");
                JsonPointer base = feature.append(member);
                if (s.length == 4) {
                    return new ThingsPath(desired ? Resource.DESIRED_PROPERTIES : Resource.PROPERTIES, id, featureId, base);
                }
                return new ThingsPath(desired ? Resource.DESIRED_PROPERTY : Resource.PROPERTY, id, featureId, base.append(pointer(s, 4)));
            }
            case "definition" -> {
                if (s.length > 4) {
                    throw ApiErrors.resourceNotFound(rawPath);
                }
                return new ThingsPath(Resource.FEATURE_DEFINITION, id, featureId, feature.append("definition"));
            }
            default -> throw ApiErrors.resourceNotFound(rawPath);
        }
    }

    /** The JSON pointer made of the segments from {@code from} on. */
    private static JsonPointer pointer(String[] segments, int from) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                throw ApiErrors.invalidPointer("The JSON pointer '" + String.join("/", java.util.Arrays.copyOfRange(segments, from, segments.length))
                        + "' has an empty segment (consecutive or trailing slashes are not supported).");
            }
            text.append('/').append(decode(segments[i]));
        }
        try {
            return JsonPointer.of(text.toString());
        } catch (InvalidJsonPointerException e) {
            throw ApiErrors.invalidPointer(e.getMessage());
        }
    }

    /** RFC 3986 percent-decoding of one path segment ('+' stays a '+'). */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw malformed(segment);
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw malformed(segment);
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Percent-encodes one path segment for a {@code Location} header. */
    static String encode(String segment) {
        StringBuilder sb = new StringBuilder(segment.length() + 8);
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static io.rosetta.core.model.TwinException malformed(String segment) {
        return new io.rosetta.core.model.TwinException(400, "things:request.invalid", "The path segment '" + segment + "' has a malformed %-escape.",
                "Percent-encode reserved characters as %XX with two hex digits.");
    }
}
