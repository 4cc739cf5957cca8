package io.rosetta.shell.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.karaf.shell.support.table.ShellTable;

/** Selects and formats twins for {@code rosetta:things}: filters, order, limit, table and JSON. */
final class ThingListing {

    static final String NEVER = "never";

    private ThingListing() {
    }

    /** The twins that match, ordered by id, at most {@code limit}; {@code matched} counts all that matched. */
    record Selection(List<Thing> things, int matched) {
    }

    /**
     * Filters by namespace ({@code org.example}, or a prefix ending in {@code *}) and status
     * ({@code ONLINE}, {@code offline}, {@code OFFLINE/BINDING_MISSING}); {@code null} means any.
     * Throws {@link IllegalArgumentException} for a status that does not exist.
     */
    static Selection select(Collection<Thing> all, String namespace, String status, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative");
        }
        Predicate<Thing> filter = t -> true;
        if (namespace != null && !namespace.isBlank()) {
            filter = filter.and(t -> namespaceMatches(t.thingId(), namespace.trim()));
        }
        if (status != null && !status.isBlank()) {
            ConnectivityStatus.Status s = parseStatus(status);
            ConnectivityStatus.Detail d = parseDetail(status);
            filter = filter.and(t -> t.connectivity().status() == s && (d == null || t.connectivity().detail() == d));
        }
        List<Thing> matched = new ArrayList<>();
        for (Thing t : all) {
            if (filter.test(t)) {
                matched.add(t);
            }
        }
        matched.sort(Comparator.comparing(Thing::thingId));
        List<Thing> shown = limit == 0 || matched.size() <= limit ? matched : matched.subList(0, limit);
        return new Selection(List.copyOf(shown), matched.size());
    }

    static boolean namespaceMatches(ThingId id, String namespace) {
        if (namespace.endsWith("*")) {
            return id.namespace().startsWith(namespace.substring(0, namespace.length() - 1));
        }
        return id.namespace().equals(namespace);
    }

    private static ConnectivityStatus.Status parseStatus(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int slash = s.indexOf('/');
        String name = slash < 0 ? s : s.substring(0, slash);
        try {
            return ConnectivityStatus.Status.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown status '" + text + "': use one of " + Arrays.toString(ConnectivityStatus.Status.values())
                    + ", optionally with a detail such as OFFLINE/BINDING_MISSING");
        }
    }

    private static ConnectivityStatus.Detail parseDetail(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            return ConnectivityStatus.Detail.valueOf(s.substring(slash + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown status detail in '" + text + "': use one of "
                    + Arrays.toString(ConnectivityStatus.Detail.values()));
        }
    }

    static ShellTable table(List<Thing> things) {
        ShellTable table = new ShellTable().emptyTableText("No things match.");
        table.column("Thing ID");
        table.column("Definition");
        table.column("Status");
        table.column("Lifecycle");
        table.column("Revision").alignRight();
        table.column("Last seen");
        for (Thing t : things) {
            table.addRow().addContent(t.thingId().toString(), t.definition().orElse(""), t.connectivity().toString(),
                    t.lifecycle().name(), t.revision(), lastSeen(t));
        }
        return table;
    }

    static String lastSeen(Thing t) {
        return t.lastSeenMillis() <= 0 ? NEVER : Instant.ofEpochMilli(t.lastSeenMillis()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** One object per twin with the table's fields, for scripts. */
    static JsonArray json(List<Thing> things) {
        List<JsonValue> rows = new ArrayList<>(things.size());
        for (Thing t : things) {
            JsonObject.Builder b = JsonObject.newBuilder().set("thingId", t.thingId().toString());
            t.definition().ifPresent(d -> b.set("definition", d));
            b.set("status", t.connectivity().status().name());
            if (t.connectivity().detail() != ConnectivityStatus.Detail.NONE) {
                b.set("detail", t.connectivity().detail().name());
            }
            b.set("lifecycle", t.lifecycle().name()).set("revision", t.revision());
            if (t.lastSeenMillis() > 0) {
                b.set("lastSeen", Instant.ofEpochMilli(t.lastSeenMillis()).toString());
            }
            rows.add(b.build());
        }
        return JsonArray.of(rows);
    }
}
