package io.rosetta.api.internal.live;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/io.rosetta.api.cfg}: how the live event log hands events to its clients ({@link LiveEventLog}), keys
 * next to those of {@link LiveConfig}.
 */
@ObjectClassDefinition(name = "Rosetta live event delivery", description = "The threads that hand each event to the live clients")
public @interface LiveDeliveryConfig {

    @AttributeDefinition(name = "Delivery threads", description = "Threads that check the live clients' permissions and filters and queue the events"
            + " for them, each for its share of the clients; 0 is one per available processor", min = "0")
    int live_delivery_threads() default LiveEventLog.DEFAULT_LANES;

    @AttributeDefinition(name = "Events waiting per delivery thread", description = "Events a delivery thread may be behind; when one more comes,"
            + " that thread's clients are disconnected (counted as slow clients; SSE clients resume with Last-Event-ID)", min = "1")
    int live_delivery_queue() default LiveEventLog.DEFAULT_LANE_QUEUE;
}
