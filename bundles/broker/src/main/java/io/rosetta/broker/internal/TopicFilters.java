package io.rosetta.broker.internal;

/**
 * MQTT topic and topic-filter arithmetic on strings, without allocation on the publish path: whether a filter is
 * well-formed, whether a topic name matches a filter, and whether one filter covers another (every topic that the
 * second matches, the first matches too).
 */
final class TopicFilters {

    private TopicFilters() {
    }

    /** A well-formed filter: not empty, {@code #} only as the whole last level, {@code +} only as a whole level. */
    static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\0') >= 0) {
            return false;
        }
        int n = filter.length();
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean wholeLevel = (i == 0 || filter.charAt(i - 1) == '/') && (i == n - 1 || filter.charAt(i + 1) == '/');
            if (c == '#' && (i != n - 1 || !wholeLevel) || c == '+' && !wholeLevel) {
                return false;
            }
        }
        return true;
    }

    /** A topic name a client may publish to: not empty, no wildcards. */
    static boolean isValidTopic(String topic) {
        return topic != null && !topic.isEmpty() && topic.indexOf('+') < 0 && topic.indexOf('#') < 0 && topic.indexOf('\0') < 0;
    }

    /**
     * Whether the topic name matches the filter, by the rules of MQTT 3.1.1 section 4.7: {@code +} is one level,
     * {@code #} any number of levels including none ({@code sport/#} matches {@code sport}), and a topic starting with
     * {@code $} is not matched by a filter starting with a wildcard.
     */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && startsWithWildcard(filter)) {
            return false;
        }
        return subsumes(filter, topic, false);
    }

    /**
     * Whether {@code outer} covers {@code inner}: every topic that {@code inner} matches, {@code outer} matches too. A
     * client may subscribe to {@code inner} when one of its allowed filters covers it.
     */
    static boolean covers(String outer, String inner) {
        if (inner.startsWith("$") && startsWithWildcard(outer)) {
            return false;
        }
        return subsumes(outer, inner, true);
    }

    /** Level by level: {@code outer} against a topic name or, with {@code innerIsFilter}, against another filter. */
    private static boolean subsumes(String outer, String inner, boolean innerIsFilter) {
        int on = outer.length();
        int in = inner.length();
        int o = 0;
        int i = 0;
        while (true) {
            int oEnd = levelEnd(outer, o);
            if (isLevel(outer, o, oEnd, '#')) {
                return true;
            }
            int iEnd = levelEnd(inner, i);
            if (innerIsFilter) {
                if (isLevel(inner, i, iEnd, '#')) {
                    // any depth, and the parent level: only "#" covers that
                    return false;
                }
                if (isLevel(inner, i, iEnd, '+') && !isLevel(outer, o, oEnd, '+')) {
                    return false;
                }
            }
            if (!isLevel(outer, o, oEnd, '+') && !sameLevel(outer, o, oEnd, inner, i, iEnd)) {
                return false;
            }
            boolean oLast = oEnd >= on;
            boolean iLast = iEnd >= in;
            if (oLast) {
                return iLast;
            }
            o = oEnd + 1;
            if (iLast) {
                // the inner side has no more levels: "x/#" still matches "x"
                return on - o == 1 && outer.charAt(o) == '#';
            }
            i = iEnd + 1;
        }
    }

    private static boolean startsWithWildcard(String filter) {
        return !filter.isEmpty() && (filter.charAt(0) == '+' || filter.charAt(0) == '#');
    }

    private static boolean isLevel(String s, int from, int end, char wildcard) {
        return end - from == 1 && s.charAt(from) == wildcard;
    }

    private static boolean sameLevel(String a, int aFrom, int aEnd, String b, int bFrom, int bEnd) {
        return aEnd - aFrom == bEnd - bFrom && a.regionMatches(aFrom, b, bFrom, aEnd - aFrom);
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }
}
