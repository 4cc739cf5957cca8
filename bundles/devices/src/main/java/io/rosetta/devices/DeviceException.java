package io.rosetta.devices;

import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.TwinException;

/**
 * A refused registry operation: an HTTP-like status, a Ditto-style error code ({@code devices:device.notfound}), a
 * message in one line and what to do about it. Nothing was changed.
 */
public class DeviceException extends TwinException {

    private static final long serialVersionUID = 1L;

    public static final String NOT_FOUND = "devices:device.notfound";
    public static final String CONFLICT = "devices:device.conflict";
    public static final String DECOMMISSIONED = "devices:device.decommissioned";
    public static final String INVALID = "devices:device.invalid";
    public static final String MODEL_UNKNOWN = "devices:model.unknown";
    public static final String CREDENTIALS_INVALID = "devices:credentials.invalid";
    public static final String CREDENTIALS_DUPLICATE = "devices:credentials.duplicate";
    public static final String TRANSITION_INVALID = "devices:lifecycle.transition.invalid";
    public static final String CONFIGURATION_INVALID = "devices:configuration.invalid";
    public static final String IMPORT_INVALID = "devices:import.invalid";
    public static final String IMPORT_FORBIDDEN = "devices:import.forbidden";
    public static final String STORAGE_FAILED = "devices:storage.failed";

    public DeviceException(int status, String errorCode, String message, String description) {
        super(status, errorCode, message, description);
    }

    public static DeviceException notFound(String deviceId) {
        return new DeviceException(404, NOT_FOUND, "No device with the id '" + deviceId + "'.",
                "List the devices with rosetta:devices or GET /api/2/devices.");
    }

    public static DeviceException conflict(String message) {
        return new DeviceException(409, CONFLICT, message, "Choose another id, or change the existing device.");
    }

    public static DeviceException decommissioned(String deviceId) {
        return new DeviceException(409, DECOMMISSIONED, "The device '" + deviceId + "' is decommissioned; its id cannot be used again.",
                "Provision the device under a new id.");
    }

    public static DeviceException invalid(String code, String message) {
        return new DeviceException(400, code, message, "See docs/ADMIN.md for the device fields and their formats.");
    }

    public static DeviceException illegalTransition(String deviceId, LifecycleState from, LifecycleState to) {
        return new DeviceException(409, TRANSITION_INVALID, "The device '" + deviceId + "' cannot move from " + from + " to " + to + ".",
                "Allowed: PROVISIONED -> ACTIVE (first contact), ACTIVE <-> SUSPENDED, any -> DECOMMISSIONED (final).");
    }

    public static DeviceException storageFailed(String message) {
        return new DeviceException(503, STORAGE_FAILED, "The device registry could not save the change: " + message,
                "Nothing was changed. Check the disk of the registry's data folder and the server's log.");
    }
}
