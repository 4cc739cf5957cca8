package io.rosetta.binding.mqtt.internal.dialect;

import io.rosetta.core.model.InvalidIdException;
import io.rosetta.core.model.ThingId;

/** MQTT topic helpers. */
public final class Topics {

    private Topics() {
    }

    /** Whether a topic matches an MQTT filter with {@code +} and {@code #} wildcards (MQTT 3.1.1, 4.7). */
    public static boolean matches(String filter, String topic) {
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if ("#".equals(f[i])) {
                return !(topic.startsWith("$") && i == 0);
            }
            if (i >= t.length) {
                return false;
            }
            if ("+".equals(f[i])) {
                if (i == 0 && t[0].startsWith("$")) {
                    return false;
                }
                continue;
            }
            if (!f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
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
