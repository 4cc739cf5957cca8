package io.rosetta.devices;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The device registry: provisioning, lifecycle, credentials, remote configuration and the audit trail of the devices
 * that may talk to Rosetta. Every change is checked first (a refused change throws {@link DeviceException} and
 * changes nothing), persisted before it is answered, recorded in the audit trail with its actor and reason, moves the
 * device's twin along ({@code TwinRegistry.updateLifecycle}, the {@code configuration} feature) and is told to every
 * {@link DeviceListener}. Reads and authentications never wait for writers.
 *
 * <p>{@code actor} is who asks (a user name, {@code token:<name>}); {@code reason} is optional free text.
 */
public interface DeviceRegistry {

    // ---- provisioning ---------------------------------------------------------------------------------------------

    /**
     * Provisions one device in state {@code PROVISIONED}, and creates its twin (with the features of its model) when
     * the twin does not exist yet; an existing twin that is not decommissioned is adopted with its lifecycle state.
     *
     * @throws DeviceException 400 for invalid fields, an unknown model or bad credentials; 409 for an id, twin,
     *                         username, PSK identity or fingerprint already taken, or the id of a decommissioned device
     */
    Device provision(DeviceSpec spec, String actor, String reason);

    /**
     * Imports a fleet from a CSV or JSON file (formats: docs/ADMIN.md). The whole file is read first: a malformed file
     * (bad CSV quoting, invalid JSON, unknown columns, not UTF-8) throws a {@link DeviceException} 400 naming the line
     * and changes nothing. Then the rows are checked and imported in batches: a rejected row (duplicate id, unknown
     * model, bad or duplicate credentials, a namespace the options do not allow, ...) leaves nothing behind and is in
     * the report; the other rows are imported, unless the options say {@code atomic} (all or none) or {@code dryRun}.
     * Passwords in the clear are hashed on the registry's KDF threads. {@code progress} is called on this thread.
     */
    ImportReport importDevices(ImportFormat format, InputStream in, ImportOptions options, ImportProgress progress, String actor);

    /**
     * The twin a spec names, or the one it gets by default ({@code <default.namespace>:<deviceId>}): what to authorize
     * before provisioning.
     *
     * @throws DeviceException 400 when the device id or the thing id is invalid
     */
    ThingId thingIdFor(DeviceSpec spec);

    /** {@link #importDevices(ImportFormat, InputStream, ImportOptions, ImportProgress, String)} for rows already read. */
    ImportReport importDevices(List<DeviceSpec> rows, ImportOptions options, ImportProgress progress, String actor);

    // ---- reads ----------------------------------------------------------------------------------------------------

    Optional<Device> device(String deviceId);

    Optional<Device> byThing(ThingId thingId);

    Optional<Device> byMqttUsername(String username);

    Optional<Device> byPskIdentity(String identity);

    /** By the SHA-256 fingerprint of its certificate, in any form {@link Credentials#normalizeFingerprint} accepts. */
    Optional<Device> byCertificate(String sha256Fingerprint);

    /** Every device, decommissioned ones included (a weakly consistent view). */
    Collection<Device> devices();

    /** The devices that match, sorted by id, a page of them. */
    DevicePage find(DeviceQuery query);

    // ---- lifecycle ------------------------------------------------------------------------------------------------

    /**
     * Moves a device to {@code target}, as {@link LifecycleState#canMoveTo} allows ({@code SUSPENDED}: its
     * credentials stop working and its data is refused; {@code ACTIVE} again: resumed; {@code DECOMMISSIONED}: its
     * credentials are removed for good, its twin is kept read-only, its id is never used again). Moving to the state
     * it is in changes nothing and is not recorded.
     *
     * @throws DeviceException 404 for an unknown id, 409 for an illegal transition
     */
    Device transition(String deviceId, LifecycleState target, String actor, String reason);

    /**
     * What a binding calls when it hears from a device (a connection, a registration, a message): a {@code PROVISIONED}
     * device becomes {@code ACTIVE} (first contact, recorded with actor {@code binding}). Cheap when nothing changes:
     * call it as often as convenient.
     */
    Admission markContact(String deviceId);

    /** {@link #markContact(String)} for the device of a twin. */
    Admission markContact(ThingId thingId);

    // ---- credentials ----------------------------------------------------------------------------------------------

    /**
     * Replaces or removes credentials of a device that is not decommissioned.
     *
     * @throws DeviceException 400 for bad credentials, 404 for an unknown id, 409 for duplicates or a decommissioned device
     */
    Device updateCredentials(String deviceId, CredentialsUpdate update, String actor, String reason);

    /**
     * Checks an MQTT CONNECT's username and password. Accepted only for a PROVISIONED or ACTIVE device whose Argon2id
     * hash matches; after one such verification the same password is checked from memory (a keyed digest, forgotten
     * on any change of the device's credentials or state), so reconnects cost microseconds.
     */
    AuthResult authenticateMqtt(String username, byte[] password);

    /** The pre-shared key of a DTLS identity, only for a PROVISIONED or ACTIVE device; a copy the caller may wipe. */
    Optional<byte[]> pskKey(String identity);

    /** Whether a client certificate (its SHA-256 fingerprint) belongs to a PROVISIONED or ACTIVE device. */
    AuthResult authenticateCertificate(String sha256Fingerprint);

    // ---- configuration --------------------------------------------------------------------------------------------

    /**
     * Changes the desired configuration with a JSON merge patch (RFC 7396: {@code null} removes a key) and writes it
     * to the {@code desiredProperties} of the twin's {@code configuration} feature, from where the binding delivers it.
     *
     * @throws DeviceException 400 when the twin's model refuses the values, 404 unknown id, 409 decommissioned
     */
    Device configure(String deviceId, JsonObject mergePatch, String actor, String reason);

    /** Replaces the desired configuration as a whole. */
    Device replaceConfiguration(String deviceId, JsonObject configuration, String actor, String reason);

    /** The desired configuration against what the device reported: which values are applied and which pending. */
    ConfigurationStatus configuration(String deviceId);

    // ---- audit and counters ---------------------------------------------------------------------------------------

    /** Audit records, oldest first: every provisioning, transition, credential and configuration change. */
    List<AuditEntry> audit(AuditQuery query);

    DeviceStats stats();
}
