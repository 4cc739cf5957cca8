package io.rosetta.devices;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import java.util.function.Predicate;

/**
 * Which devices to list, sorted by device id: every criterion is optional ({@code null}). {@code namespace} is a twin
 * namespace, or a prefix of one with a trailing {@code *}; {@code visible} limits the answer to the twins the caller
 * may see.
 */
public record DeviceQuery(LifecycleState state, String binding, String modelId, String namespace, Predicate<ThingId> visible,
                          int offset, int limit) {

    public DeviceQuery {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
    }

    /** Every device, {@code limit} at most (0: no limit). */
    public static DeviceQuery all(int limit) {
        return new DeviceQuery(null, null, null, null, null, 0, limit);
    }

    public boolean matches(Device d) {
        if (state != null && d.state() != state) {
            return false;
        }
        if (binding != null && !binding.equals(d.binding())) {
            return false;
        }
        if (modelId != null && !modelId.equals(d.modelId())) {
            return false;
        }
        if (namespace != null) {
            String ns = d.thingId().namespace();
            boolean prefix = namespace.endsWith("*");
            if (prefix ? !ns.startsWith(namespace.substring(0, namespace.length() - 1)) : !ns.equals(namespace)) {
                return false;
            }
        }
        return visible == null || visible.test(d.thingId());
    }
}
