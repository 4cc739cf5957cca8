package io.rosetta.api.internal;

import io.rosetta.core.model.Thing;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.Precondition;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditional headers of a request (RFC 7232), {@code If-Match} and {@code If-None-Match}, with
 * the entity tags this API writes: {@code "rev:N"}, the thing's revision, for the thing and each of
 * its sub-resources. {@code *} asks whether the addressed resource (the thing, or the value at the
 * sub-resource's path) exists.
 *
 * <p>A write evaluates the conditions against the current twin and then pins that twin's revision
 * in the registry call ({@link #pinned}), so the change applies only to the twin that was checked.
 */
final class Conditions {

    static final Conditions NONE = new Conditions(null, null);

    private final List<String> ifMatch;
    private final List<String> ifNoneMatch;
    private final String ifMatchText;
    private final String ifNoneMatchText;

    private Conditions(String ifMatch, String ifNoneMatch) {
        this.ifMatchText = ifMatch;
        this.ifNoneMatchText = ifNoneMatch;
        this.ifMatch = tags(ifMatch);
        this.ifNoneMatch = tags(ifNoneMatch);
    }

    static Conditions of(String ifMatch, String ifNoneMatch) {
        if (ifMatch == null && ifNoneMatch == null) {
            return NONE;
        }
        return new Conditions(ifMatch, ifNoneMatch);
    }

    static String etag(Thing thing) {
        return "\"rev:" + thing.revision() + "\"";
    }

    boolean isEmpty() {
        return ifMatch == null && ifNoneMatch == null;
    }

    /**
     * Checks the conditions of a read: throws 412 when {@code If-Match} fails.
     *
     * @return false when {@code If-None-Match} matches, i.e. the answer is 304 Not Modified
     */
    boolean checkRead(Thing thing, boolean exists) {
        if (ifMatch != null && !matches(ifMatch, thing, exists)) {
            throw TwinException.preconditionFailed("If-Match", ifMatchText, thing == null ? 0 : thing.revision());
        }
        return ifNoneMatch == null || !matches(ifNoneMatch, thing, exists);
    }

    /** Checks the conditions of a write against the current twin ({@code null}: none); throws 412 when they fail. */
    void checkWrite(Thing thing, boolean exists) {
        if (ifMatch != null && !matches(ifMatch, thing, exists)) {
            throw TwinException.preconditionFailed("If-Match", ifMatchText, thing == null ? 0 : thing.revision());
        }
        if (ifNoneMatch != null && matches(ifNoneMatch, thing, exists)) {
            throw TwinException.preconditionFailed("If-None-Match", ifNoneMatchText, thing == null ? 0 : thing.revision());
        }
    }

    /** The registry precondition that holds the twin to the state the conditions were checked against. */
    Precondition pinned(Thing checked) {
        if (isEmpty()) {
            return Precondition.none();
        }
        return checked == null ? Precondition.absent() : Precondition.revision(checked.revision());
    }

    private static boolean matches(List<String> tags, Thing thing, boolean exists) {
        if (!exists) {
            return false;
        }
        for (String tag : tags) {
            if (tag.equals("*") || tag.equals("rev:" + thing.revision())) {
                return true;
            }
        }
        return false;
    }

    /** The entity tags of a header, unquoted ({@code W/} weak tags compare like strong ones). */
    private static List<String> tags(String header) {
        if (header == null) {
            return null;
        }
        List<String> out = new ArrayList<>(2);
        for (String part : header.split(",")) {
            String tag = part.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (!tag.isEmpty()) {
                out.add(tag);
            }
        }
        return out;
    }
}
