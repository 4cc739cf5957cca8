package io.rosetta.devices.internal;

import io.rosetta.core.json.JsonNumber;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.AuditEntry;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.Device;
import java.time.Instant;

/**
 * The registry's own JSON of devices and audit records, as the store writes them: unlike {@link Device#toJson()} it
 * keeps the password hash and the sealed key.
 */
final class DeviceCodec {

    private DeviceCodec() {
    }

    static JsonObject device(Device d) {
        Credentials c = d.credentials();
        JsonObject.Builder b = JsonObject.newBuilder().set("id", d.deviceId()).set("thing", d.thingId().toString());
        optional(b, "binding", d.binding());
        optional(b, "model", d.modelId());
        b.set("state", d.state().name()).set("cv", c.version());
        optional(b, "user", c.mqttUsername());
        optional(b, "hash", c.mqttPasswordHash());
        optional(b, "pskId", c.pskIdentity());
        optional(b, "pskKey", c.sealedPskKey());
        optional(b, "x509", c.x509Sha256());
        if (!d.configuration().isEmpty()) {
            b.set("config", d.configuration());
        }
        return b.set("created", d.created().toEpochMilli()).set("updated", d.updated().toEpochMilli()).build();
    }

    static Device device(JsonObject o) {
        Credentials c = new Credentials(number(o, "cv"), string(o, "user"), string(o, "hash"), string(o, "pskId"), string(o, "pskKey"),
                string(o, "x509"));
        JsonValue config = o.getOrNull("config");
        return new Device(required(o, "id"), ThingId.of(required(o, "thing")), string(o, "binding"), string(o, "model"),
                LifecycleState.valueOf(required(o, "state")), c, config instanceof JsonObject co ? co : JsonObject.empty(),
                Instant.ofEpochMilli(number(o, "created")), Instant.ofEpochMilli(number(o, "updated")));
    }

    static JsonObject audit(AuditEntry a) {
        JsonObject.Builder b = JsonObject.newBuilder().set("s", a.seq()).set("t", a.time().toEpochMilli()).set("actor", a.actor())
                .set("device", a.deviceId()).set("action", a.action().name());
        optional(b, "detail", a.detail());
        optional(b, "reason", a.reason());
        return b.build();
    }

    static AuditEntry audit(JsonObject o) {
        return new AuditEntry(number(o, "s"), Instant.ofEpochMilli(number(o, "t")), required(o, "actor"), required(o, "device"),
                AuditEntry.Action.valueOf(required(o, "action")), string(o, "detail"), string(o, "reason"));
    }

    private static void optional(JsonObject.Builder b, String key, String value) {
        if (value != null) {
            b.set(key, value);
        }
    }

    private static String string(JsonObject o, String key) {
        return o.getOrNull(key) instanceof JsonString s ? s.value() : null;
    }

    private static String required(JsonObject o, String key) {
        String s = string(o, key);
        if (s == null) {
            throw new IllegalArgumentException("the field '" + key + "' is missing");
        }
        return s;
    }

    private static long number(JsonObject o, String key) {
        if (o.getOrNull(key) instanceof JsonNumber n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("the field '" + key + "' is missing");
    }
}
