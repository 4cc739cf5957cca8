package io.rosetta.core.inbox;

import io.rosetta.core.model.ThingId;
import java.util.List;
import java.util.Optional;

/**
 * The discovery inbox: devices that a binding discovered (a Zigbee2MQTT bridge's device list, a Homie
 * description, a Home Assistant discovery config, a Sparkplug BIRTH, ...) wait here until someone
 * approves them, which creates their twin and lets the binding serve them, or rejects them, which
 * keeps the binding from serving them until the rejection is removed. Entries are keyed by the
 * thing id the binding proposes; every decision keeps who made it and when.
 *
 * <p>Bindings call {@link #discovered(Discovery)} for every device they see that is not attached yet;
 * the inbox answers what to do with the device's messages. A device whose twin exists already
 * (provisioned, or approved before) is attached at once, as is one of a binding or dialect configured
 * for auto-approval.
 */
public interface Inbox {

    /** What happens to a discovered device (and to the message that announced it). */
    enum Decision {
        /** The device is attached: its twin exists (now) and the binding serves it. */
        ATTACHED,
        /** The device waits in the inbox for a decision: the binding keeps its latest report, nothing else. */
        HELD,
        /** The device was rejected: the binding drops its messages. */
        SUPPRESSED,
        /** The inbox holds as many entries as it may: the device is not recorded, its messages are dropped. */
        FULL
    }

    /**
     * Records a discovered device and decides what happens to it. Attaching may fail like
     * {@link io.rosetta.core.binding.DeviceManager#attach} ({@link io.rosetta.core.model.TwinException}, e.g. a
     * decommissioned twin).
     */
    Decision discovered(Discovery discovery);

    /** Every entry, sorted by thing id. */
    List<InboxEntry> entries();

    Optional<InboxEntry> entry(ThingId thingId);

    /**
     * Approves a pending (or rejected) entry: attaches the device (creating its twin, with the entry's
     * attributes) and records who approved it and when. Approving an approved entry changes nothing.
     *
     * @throws io.rosetta.core.model.TwinException 404 {@code inbox:entry.notfound} without an entry, or what
     *         attaching the device throws
     */
    InboxEntry approve(ThingId thingId, String who);

    /**
     * Rejects an entry: its device's messages are dropped until the rejection is {@linkplain #remove removed}.
     * Rejecting an approved device detaches it (its twin is kept, {@code OFFLINE/GONE}).
     *
     * @throws io.rosetta.core.model.TwinException 404 {@code inbox:entry.notfound} without an entry
     */
    InboxEntry reject(ThingId thingId, String who);

    /**
     * Removes an entry; for a rejected device this lifts the rejection, so that its next announcement
     * lands in the inbox again. Returns {@code false} when there was no entry.
     */
    boolean remove(ThingId thingId);
}
