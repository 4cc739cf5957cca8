package io.rosetta.binding.coap.internal.senml;

/** A SenML pack that is not well-formed or cannot be resolved; the message says why. */
public final class SenmlException extends Exception {

    private static final long serialVersionUID = 1L;

    public SenmlException(String message) {
        super(message);
    }
}
