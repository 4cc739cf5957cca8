package io.rosetta.dynsec.internal;

import io.rosetta.core.json.JsonObject;

/**
 * One command of the dynamic security plugin, as sent (without its {@code correlationData}), with what to do when
 * Mosquitto answers that its object already exists ({@code createClient}, {@code createRole}: modify it instead) or
 * does not exist (a delete: nothing left to do).
 *
 * @param body             the command object, {@code {"command": "...", ...}}
 * @param deviceId         the device it is for, {@code null} for listings
 * @param onExists         the command to send instead when the answer is that the object exists, or {@code null}
 * @param absentIsDone     whether "not found" means done (deleting what is not there)
 */
record DynsecCommand(JsonObject body, String deviceId, DynsecCommand onExists, boolean absentIsDone) {

    String name() {
        return body.getOrNull("command") instanceof io.rosetta.core.json.JsonString s ? s.value() : "?";
    }

    /** Without the password. */
    @Override
    public String toString() {
        return name() + (deviceId == null ? "" : " (device " + deviceId + ")");
    }
}
