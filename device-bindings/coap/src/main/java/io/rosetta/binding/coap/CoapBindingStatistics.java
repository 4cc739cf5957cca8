package io.rosetta.binding.coap;

import java.util.List;
import java.util.Map;

/**
 * Read-only counters of the CoAP binding since it started: requests received and accepted, requests
 * refused per reason, the latest refused requests (a bounded dead-letter record, oldest first) and the
 * registered endpoints.
 */
public interface CoapBindingStatistics {

    /** Readings received: SenML POST/PUT and notifications of observed resources. */
    long received();

    /** Readings whose content reached a twin. */
    long accepted();

    /** Desired state sent to devices (confirmable PUT) and confirmed by them with a 2.xx answer. */
    long commandsConfirmed();

    /** Desired state the devices refused (4.xx, 5.xx) or never answered (after retransmissions). */
    long commandsFailed();

    /** Refused requests per reason. */
    Map<RejectReason, Long> rejected();

    /** Refused requests of one reason (0 when none). */
    long rejected(RejectReason reason);

    /** The latest refused requests, oldest first; at most {@link #deadLetterCapacity()}. */
    List<DeadLetter> deadLetters();

    int deadLetterCapacity();

    /** Endpoint names registered now (lifetime not expired). */
    List<String> registeredEndpoints();
}
