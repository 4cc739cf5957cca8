package io.rosetta.broker.internal;

/** The broker's configuration PID, shared by its components. */
final class BrokerSettingsPid {

    static final String PID = "io.rosetta.broker";

    private BrokerSettingsPid() {
    }
}
