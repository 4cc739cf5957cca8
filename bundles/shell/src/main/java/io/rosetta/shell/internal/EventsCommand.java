package io.rosetta.shell.internal;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Thing;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import io.rosetta.core.registry.ThingFilters;
import io.rosetta.core.registry.TwinEvent;
import io.rosetta.core.registry.TwinRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.function.Predicate;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * {@code rosetta:events [--filter <RQL>] [--namespaces a,b] [--types merged,created] [--count N] [--json]}: follows the
 * twin events live, one line each, until Ctrl-C (which interrupts the command) or until {@code --count} events were
 * shown. The subscription asks the registry for at most {@value #DEMAND} events ahead of what was printed, and is
 * cancelled however the command ends. Like every subscriber it has its own bounded buffer in the registry: when the
 * console cannot keep up, the registry drops events for it (counted, {@code rosetta:status} shows them), it never holds
 * writers back beyond the registry's configured patience.
 */
@Service
@Command(scope = "rosetta", name = "events", description = "Follows live twin events until Ctrl-C, or until --count events were shown",
        detailedDescription = "rosetta:events [--filter <RQL>] [--namespaces a,b] [--types created,modified,merged,deleted,connectivity,lifecycle] "
                + "[--count N] [--json]\n"
                + "--filter is evaluated against the twin after the change, with the grammar of the search "
                + "(and(eq(attributes/room,\"kitchen\"),gt(features/temperature/properties/value,20))); it needs the search "
                + "(feature rosetta-search). With a filter, deletions of whole things are not shown (they have no state to match). "
                + "--json prints one JSON object a line.")
public class EventsCommand implements Action {

    /** Events requested ahead of the printing: the most this command holds in memory. */
    static final int DEMAND = 256;
    static final int MAX_VALUE_CHARS = 160;

    @Option(name = "--filter", aliases = "-f", description = "Only events of twins that match this RQL filter after the change (needs rosetta-search)")
    String filter;

    @Option(name = "--namespaces", aliases = "-n", description = "Only twins of these namespaces, comma-separated (a trailing * matches a prefix)")
    @Completion(NamespaceCompleter.class)
    String namespaces;

    @Option(name = "--types", aliases = "-t", description = "Only these event types, comma-separated: created, modified, merged, deleted, connectivity, lifecycle")
    @Completion(value = StringsCompleter.class, values = {"created", "modified", "merged", "deleted", "connectivity", "lifecycle"}, caseSensitive = false)
    String types;

    @Option(name = "--count", aliases = "-c", description = "Stop after this many events (0: until Ctrl-C)")
    int count;

    @Option(name = "--json", description = "One JSON object a line for scripts instead of text")
    boolean json;

    @Reference
    TwinRegistry registry;

    @Reference(optional = true)
    ThingFilters filters;

    PrintStream out = System.out;

    @Override
    public Object execute() throws Exception {
        if (count < 0) {
            throw new CommandException("--count must be 0 (until Ctrl-C) or more.");
        }
        Selection selection = selection();
        Follower follower = new Follower();
        registry.subscribe(follower);
        int shown = 0;
        try {
            if (!json) {
                out.println("Following twin events" + selection.describe() + (count > 0 ? " until " + count + " were shown" : "")
                        + "; Ctrl-C stops.");
                out.flush();
            }
            while (count == 0 || shown < count) {
                Object next = follower.queue.take();
                if (next instanceof TwinEvent e) {
                    if (selection.accepts(e)) {
                        out.println(json ? Json.write(json(e)) : line(e));
                        out.flush();
                        shown++;
                    }
                    follower.consumed();
                } else if (next instanceof Throwable t) {
                    throw new CommandException("The event stream failed: " + t.getMessage());
                } else {
                    if (!json) {
                        out.println("The twin registry closed the event stream (it is stopping); " + shown + " events shown.");
                    }
                    return null;
                }
            }
        } catch (InterruptedException e) {
            // Ctrl-C: the console interrupts the command; that is how following ends
            if (!json) {
                out.println();
                out.println("Stopped; " + shown + " events shown.");
            }
        } finally {
            follower.cancel();
        }
        return null;
    }

    /** Which events are shown: their type, their thing's namespace, and the RQL filter on the thing after the change. */
    record Selection(Set<TwinEvent.Type> types, List<String> namespaces, Predicate<Thing> rql, String filter) {

        boolean accepts(TwinEvent e) {
            if (!types.contains(e.type())) {
                return false;
            }
            if (!namespaces.isEmpty() && namespaces.stream().noneMatch(n -> ThingListing.namespaceMatches(e.thingId(), n))) {
                return false;
            }
            return rql == null || e.thing() != null && rql.test(e.thing());
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (types.size() < TwinEvent.Type.values().length) {
                parts.add("of types " + types.stream().map(EventsCommand::shortName).toList());
            }
            if (!namespaces.isEmpty()) {
                parts.add("in " + String.join(", ", namespaces));
            }
            if (rql != null) {
                parts.add("matching " + filter);
            }
            return parts.isEmpty() ? "" : " " + String.join(", ", parts);
        }
    }

    Selection selection() throws CommandException {
        Set<TwinEvent.Type> typeSet = EnumSet.allOf(TwinEvent.Type.class);
        if (types != null && !types.isBlank()) {
            typeSet = EnumSet.noneOf(TwinEvent.Type.class);
            for (String t : types.split(",")) {
                if (!t.isBlank()) {
                    typeSet.add(type(t.trim()));
                }
            }
        }
        List<String> ns = new ArrayList<>();
        if (namespaces != null) {
            for (String n : new LinkedHashSet<>(List.of(namespaces.split(",")))) {
                String name = n.trim();
                if (name.isEmpty()) {
                    continue;
                }
                String plain = name.endsWith("*") ? name.substring(0, name.length() - 1) : name;
                if (!plain.isEmpty() && !plain.endsWith(".")) {
                    try {
                        ThingId.of(plain, "x");
                    } catch (TwinException e) {
                        throw new CommandException("'" + name + "' in --namespaces is not a namespace of thing ids.");
                    }
                }
                ns.add(name);
            }
        }
        Predicate<Thing> rql = null;
        if (filter != null && !filter.isBlank()) {
            if (filters == null) {
                throw new CommandException("--filter needs the RQL filters of the search (feature rosetta-search), which is not running: "
                        + "install it, or select with --namespaces and --types.");
            }
            try {
                rql = filters.parse(filter);
            } catch (TwinException e) {
                throw new CommandException(e.getMessage());
            }
        }
        return new Selection(typeSet, List.copyOf(ns), rql, filter);
    }

    static TwinEvent.Type type(String name) throws CommandException {
        String n = name.toLowerCase(Locale.ROOT);
        for (TwinEvent.Type t : TwinEvent.Type.values()) {
            if (n.equals(shortName(t)) || n.equals(t.name().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new CommandException("Unknown event type '" + name + "': use created, modified, merged, deleted, connectivity or lifecycle.");
    }

    static String shortName(TwinEvent.Type t) {
        return switch (t) {
            case CONNECTIVITY_CHANGED -> "connectivity";
            case LIFECYCLE_CHANGED -> "lifecycle";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** One line for people: time, type, thing, revision, path and the value (shortened). */
    static String line(TwinEvent e) {
        String value = e.value() == null ? "" : Json.write(e.value());
        if (value.length() > MAX_VALUE_CHARS) {
            value = value.substring(0, MAX_VALUE_CHARS - 3) + "...";
        }
        return String.format("%s %-12s %s r%d %s %s", Instant.ofEpochMilli(e.timestamp()), shortName(e.type()), e.thingId(), e.revision(),
                path(e.path()), value).stripTrailing();
    }

    private static String path(JsonPointer p) {
        return p == null || p.isEmpty() ? "/" : p.toString();
    }

    /** One object for scripts: the event with its whole value and the paths it changed. */
    static JsonObject json(TwinEvent e) {
        List<JsonValue> changed = new ArrayList<>(e.changedPaths().size());
        e.changedPaths().forEach(p -> changed.add(JsonString.of(path(p))));
        JsonObject.Builder b = JsonObject.newBuilder().set("type", shortName(e.type())).set("thingId", e.thingId().toString())
                .set("revision", e.revision()).set("timestamp", Instant.ofEpochMilli(e.timestamp()).toString()).set("path", path(e.path()));
        if (e.value() != null) {
            b.set("value", e.value());
        }
        return b.set("changedPaths", JsonArray.of(changed)).build();
    }

    /**
     * Hands the events to the command's thread through a queue as large as the demand: it asks for {@value #DEMAND}
     * events, then one more for each the command took, so the queue can never overflow and nothing waits on the console.
     */
    static final class Follower implements Flow.Subscriber<TwinEvent> {
        /** Events, then possibly an end: {@link #COMPLETE} or the error. */
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEMAND + 1);
        static final Object COMPLETE = new Object();
        private Flow.Subscription subscription;
        private boolean cancelled;

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            if (cancelled || subscription != null) {
                s.cancel();
                return;
            }
            subscription = s;
            s.request(DEMAND);
        }

        @Override
        public void onNext(TwinEvent item) {
            queue.offer(item);
        }

        @Override
        public void onError(Throwable t) {
            queue.offer(t);
        }

        @Override
        public void onComplete() {
            queue.offer(COMPLETE);
        }

        synchronized void consumed() {
            if (subscription != null && !cancelled) {
                subscription.request(1);
            }
        }

        synchronized void cancel() {
            cancelled = true;
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }
}
