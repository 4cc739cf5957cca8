package io.rosetta.core.model;

import java.util.Locale;

/**
 * A twin's connectivity: a status with an optional detail, as openHAB reports thing status
 * ({@code OFFLINE / COMMUNICATION_ERROR}). Instances without a description are shared.
 */
public record ConnectivityStatus(Status status, Detail detail, String description) {

    public enum Status { ONLINE, OFFLINE, UNKNOWN }

    public enum Detail {
        NONE, COMMUNICATION_ERROR, CONFIGURATION_ERROR, FIRMWARE_UPDATING, BINDING_MISSING, GONE, HANDLER_INITIALIZING
    }

    public static final ConnectivityStatus UNKNOWN = new ConnectivityStatus(Status.UNKNOWN, Detail.NONE, null);
    public static final ConnectivityStatus ONLINE = new ConnectivityStatus(Status.ONLINE, Detail.NONE, null);
    public static final ConnectivityStatus OFFLINE = new ConnectivityStatus(Status.OFFLINE, Detail.NONE, null);

    public ConnectivityStatus {
        if (status == null) {
            throw new IllegalArgumentException("status is required");
        }
        if (detail == null) {
            detail = Detail.NONE;
        }
    }

    public static ConnectivityStatus of(Status status, Detail detail) {
        if (detail == null || detail == Detail.NONE) {
            return switch (status) {
                case ONLINE -> ONLINE;
                case OFFLINE -> OFFLINE;
                case UNKNOWN -> UNKNOWN;
            };
        }
        return new ConnectivityStatus(status, detail, null);
    }

    public static ConnectivityStatus offline(Detail detail, String description) {
        return new ConnectivityStatus(Status.OFFLINE, detail, description);
    }

    /** Parses {@code ONLINE}, {@code OFFLINE/COMMUNICATION_ERROR}, case-insensitive. */
    public static ConnectivityStatus parse(String text) {
        String[] parts = text.trim().toUpperCase(Locale.ROOT).split("/", 2);
        Status s = Status.valueOf(parts[0]);
        Detail d = parts.length > 1 ? Detail.valueOf(parts[1]) : Detail.NONE;
        return of(s, d);
    }

    public boolean isOnline() {
        return status == Status.ONLINE;
    }

    @Override
    public String toString() {
        return detail == Detail.NONE ? status.name() : status + "/" + detail;
    }
}
