package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.RejectReason;

/** A request the binding refuses, with the reason it is counted under and a diagnostic for the device. */
public final class RejectedException extends Exception {

    private static final long serialVersionUID = 1L;
    private final RejectReason reason;

    public RejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
