package io.rosetta.devices;

/**
 * The answer to an authentication: the outcome and, when the credentials named a device, that device (also when it is
 * refused because of its state). An enforcement point tells the peer only accepted or not; the outcome is for its log
 * and counters.
 */
public record AuthResult(Outcome outcome, Device device) {

    public enum Outcome {
        /** Valid credentials of a PROVISIONED or ACTIVE device. */
        ACCEPTED,
        /** No device has this username, identity or fingerprint. */
        UNKNOWN,
        /** The device exists but the password is wrong (or it has no password). */
        BAD_CREDENTIALS,
        /** The credentials are right but the device is SUSPENDED (or its credentials were revoked). */
        NOT_ALLOWED,
        /** Refused without checking: too many password checks were waiting (the registry protects its CPU). */
        BUSY
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    public static AuthResult of(Outcome outcome) {
        return new AuthResult(outcome, null);
    }
}
