package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.RejectReason;

/** A message the binding refuses, with the reason it is counted under. Not thrown at the core: the pipeline counts it. */
public final class RejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public RejectedException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
