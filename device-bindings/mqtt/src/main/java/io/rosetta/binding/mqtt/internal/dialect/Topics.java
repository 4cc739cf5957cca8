package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;

/** MQTT topic helpers. */
public final class Topics {

    private Topics() {
    }

    /** Whether a topic matches an MQTT filter with {@code +} and {@code #} wildcards (MQTT 3.1.1, 4.7); allocates nothing. */
    public static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        boolean first = true;
        while (true) {
            int fe = filter.indexOf('/', f);
            fe = fe < 0 ? fl : fe;
            if (fe - f == 1 && filter.charAt(f) == '#') {
                return !(first && topic.startsWith("$"));
            }
            int te = topic.indexOf('/', t);
            te = te < 0 ? tl : te;
            if (fe - f == 1 && filter.charAt(f) == '+') {
                if (first && topic.startsWith("$")) {
                    return false;
                }
            } else if (fe - f != te - t || !filter.regionMatches(f, topic, t, fe - f)) {
                return false;
            }
            first = false;
            boolean filterEnds = fe == fl;
            boolean topicEnds = te == tl;
            if (filterEnds || topicEnds) {
                if (filterEnds && topicEnds) {
                    return true;
                }
                if (topicEnds) {
                    // "a/#" matches "a": only a last level "#" may follow
                    return fl - fe == 2 && filter.charAt(fe + 1) == '#';
                }
                return false;
            }
            f = fe + 1;
            t = te + 1;
        }
    }

    /**
     * A thing id for a device address: {@code namespace:<prefix>-<address>} with characters a thing
     * name cannot hold ({@code /}, control characters) and blanks replaced by {@code _}.
     */
    public static ThingId thingId(String namespace, String prefix, String address) throws InvalidIdException {
        StringBuilder b = new StringBuilder(prefix.length() + address.length() + 1).append(prefix).append('-');
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            b.append(c <= 0x20 || c == 0x7f || c == '/' ? '_' : c);
        }
        return ThingId.of(namespace, b.toString());
    }
}
