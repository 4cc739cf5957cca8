package io.rosetta.binding.mqtt.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topic filters a session's broker has acknowledged, and what changes when the dialects want others: the
 * bookkeeping both MQTT clients share ({@link MqttSession#updateSubscriptions()}). Thread-safe.
 */
final class SubscribedFilters {

    /** Filters to subscribe to and filters to unsubscribe from. */
    record Change(List<String> add, List<String> remove) {
        Change {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    private final Set<String> filters = new LinkedHashSet<>();

    /** After the connection's first subscription: exactly these. */
    synchronized void replace(Collection<String> acknowledged) {
        filters.clear();
        filters.addAll(acknowledged);
    }

    /** After a disconnect: none. */
    synchronized void clear() {
        filters.clear();
    }

    synchronized void added(Collection<String> acknowledged) {
        filters.addAll(acknowledged);
    }

    synchronized void removed(Collection<String> dropped) {
        filters.removeAll(dropped);
    }

    /** What it takes to go from the acknowledged filters to {@code wanted}. */
    synchronized Change towards(List<String> wanted) {
        List<String> add = new ArrayList<>();
        for (String f : wanted) {
            if (!filters.contains(f)) {
                add.add(f);
            }
        }
        List<String> remove = new ArrayList<>();
        for (String f : filters) {
            if (!wanted.contains(f)) {
                remove.add(f);
            }
        }
        return new Change(add, remove);
    }
}
