package io.rosetta.broker.internal;

import java.util.List;

/**
 * What one device may do on the broker: publish to topics that one of its filters matches, and subscribe to filters
 * that one of its filters covers. No filter: nothing.
 */
final class TopicAcl {

    static final TopicAcl NONE = new TopicAcl(List.of());

    private final String[] filters;

    TopicAcl(List<String> filters) {
        this.filters = filters.toArray(String[]::new);
    }

    List<String> filters() {
        return List.of(filters);
    }

    boolean canPublish(String topic) {
        if (!TopicFilters.isValidTopic(topic)) {
            return false;
        }
        for (String f : filters) {
            if (TopicFilters.matches(f, topic)) {
                return true;
            }
        }
        return false;
    }

    boolean canSubscribe(String filter) {
        if (!TopicFilters.isValidFilter(filter)) {
            return false;
        }
        for (String f : filters) {
            if (TopicFilters.covers(f, filter)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", filters);
    }
}
