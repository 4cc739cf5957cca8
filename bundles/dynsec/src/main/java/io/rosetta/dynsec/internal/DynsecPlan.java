package io.rosetta.dynsec.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonBoolean;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonString;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to tell Mosquitto: the commands for one change of the registry, and the commands that bring Mosquitto in line
 * with the registry as a whole (a resync). Each device with an MQTT username has the role {@code <prefix><deviceId>}
 * with the ACLs of its topics, and a client of its username with that role, enabled while the device is PROVISIONED or
 * ACTIVE. Passwords reach Mosquitto only from the event that set them (the registry keeps none): a device provisioned
 * with a password hash, or whose client is missing in Mosquitto, needs a new password.
 */
final class DynsecPlan {

    /** What a resync found and does. */
    record Resync(List<DynsecCommand> commands, int rolesCreated, int rolesUpdated, int rolesDeleted, int clientsUpdated, int clientsEnabled,
                  int clientsDisabled, int clientsDeleted, List<String> missingClients) {
    }

    private final String rolePrefix;
    private final DeviceTopics topics;

    DynsecPlan(String rolePrefix, DeviceTopics topics) {
        this.rolePrefix = rolePrefix;
        this.topics = topics;
    }

    String roleOf(String deviceId) {
        return rolePrefix + deviceId;
    }

    /**
     * The commands for one committed change; {@code passwordUnknown} is told the devices whose client cannot be made
     * or updated because the event carries no password (it was given as a hash).
     */
    List<DynsecCommand> onEvent(DeviceEvent e, List<String> passwordUnknown) {
        Device a = e.after();
        Device b = e.before();
        Credentials ca = a.credentials();
        Credentials cb = b == null ? Credentials.none() : b.credentials();
        String id = a.deviceId();
        String role = roleOf(id);
        String userBefore = cb.mqttUsername();
        String userAfter = ca.mqttUsername();
        List<DynsecCommand> out = new ArrayList<>();
        switch (e.type()) {
            case PROVISIONED -> {
                if (userAfter != null) {
                    out.add(ensureRole(a));
                    newClient(a, e.newMqttPassword(), out, passwordUnknown);
                }
            }
            case LIFECYCLE_CHANGED -> {
                if (a.state() == LifecycleState.DECOMMISSIONED) {
                    if (userBefore != null) {
                        out.add(delete(DynsecCommands.deleteClient(userBefore), id));
                        out.add(delete(DynsecCommands.deleteRole(role), id));
                    }
                } else if (userAfter != null && b != null && b.acceptsCredentials() != a.acceptsCredentials()) {
                    out.add(plain(a.acceptsCredentials() ? DynsecCommands.enableClient(userAfter) : DynsecCommands.disableClient(userAfter), id));
                }
            }
            case CREDENTIALS_CHANGED -> {
                if (userBefore != null && !userBefore.equals(userAfter)) {
                    out.add(delete(DynsecCommands.deleteClient(userBefore), id));
                }
                if (userAfter == null) {
                    if (userBefore != null) {
                        out.add(delete(DynsecCommands.deleteRole(role), id));
                    }
                } else if (!userAfter.equals(userBefore)) {
                    out.add(ensureRole(a));
                    newClient(a, e.newMqttPassword(), out, passwordUnknown);
                } else if (!Objects.equals(cb.mqttPasswordHash(), ca.mqttPasswordHash())) {
                    if (e.newMqttPassword() != null) {
                        out.add(plain(DynsecCommands.setClientPassword(userAfter, e.newMqttPassword()), id));
                    } else {
                        // the old password no longer holds, and the new one is not known here
                        out.add(plain(DynsecCommands.disableClient(userAfter), id));
                        passwordUnknown.add(id);
                    }
                }
            }
            case CONFIGURATION_CHANGED -> {
                if (userAfter != null && b != null && !topics.of(b).equals(topics.of(a))) {
                    out.add(ensureRole(a));
                }
            }
            default -> {
                // nothing else concerns Mosquitto
            }
        }
        return out;
    }

    private void newClient(Device a, String password, List<DynsecCommand> out, List<String> passwordUnknown) {
        String user = a.credentials().mqttUsername();
        String role = roleOf(a.deviceId());
        if (password == null) {
            passwordUnknown.add(a.deviceId());
            return;
        }
        String textname = a.deviceId();
        String description = description(a);
        DynsecCommand modify = plain(DynsecCommands.modifyClient(user, password, textname, description, List.of(role)), a.deviceId());
        out.add(new DynsecCommand(DynsecCommands.createClient(user, password, textname, description, role), a.deviceId(), modify, false));
        if (!a.acceptsCredentials()) {
            out.add(plain(DynsecCommands.disableClient(user), a.deviceId()));
        } else {
            // a client that existed (disabled) before is enabled; for a new one this changes nothing
            out.add(plain(DynsecCommands.enableClient(user), a.deviceId()));
        }
    }

    private DynsecCommand ensureRole(Device d) {
        String role = roleOf(d.deviceId());
        List<String> t = topics.of(d);
        DynsecCommand modify = plain(DynsecCommands.modifyRole(role, t), d.deviceId());
        return new DynsecCommand(DynsecCommands.createRole(role, "device " + d.deviceId(), t), d.deviceId(), modify, false);
    }

    private static String description(Device d) {
        return "Rosetta device, twin " + d.thingId();
    }

    private static DynsecCommand plain(JsonObject body, String deviceId) {
        return new DynsecCommand(body, deviceId, null, false);
    }

    private static DynsecCommand delete(JsonObject body, String deviceId) {
        return new DynsecCommand(body, deviceId, null, true);
    }

    /**
     * The commands that make Mosquitto's clients and roles (as {@code listClients} and {@code listRoles} answered, verbose)
     * what the registry's devices say: roles created or corrected, clients given their role and enabled or disabled,
     * Rosetta's clients and roles of devices that are gone deleted. Clients that are missing cannot be made without their
     * password: they are reported.
     */
    Resync resync(Collection<Device> devices, JsonObject clientsData, JsonObject rolesData) {
        Map<String, Client> clients = clients(clientsData);
        Map<String, Set<Acl>> roles = roles(rolesData);
        List<DynsecCommand> out = new ArrayList<>();
        Set<String> liveUsers = new HashSet<>();
        Set<String> liveRoles = new HashSet<>();
        int rolesCreated = 0;
        int rolesUpdated = 0;
        int clientsUpdated = 0;
        int enabled = 0;
        int disabled = 0;
        List<String> missing = new ArrayList<>();
        for (Device d : devices) {
            String user = d.credentials().mqttUsername();
            if (d.state() == LifecycleState.DECOMMISSIONED || user == null) {
                continue;
            }
            String id = d.deviceId();
            String role = roleOf(id);
            liveUsers.add(user);
            liveRoles.add(role);
            List<String> t = topics.of(d);
            Set<Acl> have = roles.get(role);
            if (have == null) {
                out.add(ensureRole(d));
                rolesCreated++;
            } else if (!have.equals(Acl.of(t))) {
                out.add(plain(DynsecCommands.modifyRole(role, t), id));
                rolesUpdated++;
            }
            Client c = clients.get(user);
            if (c == null) {
                missing.add(id);
                continue;
            }
            if (!c.roles().contains(role)) {
                Set<String> r = new LinkedHashSet<>(c.roles());
                r.removeIf(x -> x.startsWith(rolePrefix));
                r.add(role);
                out.add(plain(DynsecCommands.modifyClient(user, null, id, description(d), List.copyOf(r)), id));
                clientsUpdated++;
            }
            boolean shouldBeDisabled = !d.acceptsCredentials();
            if (c.disabled() != shouldBeDisabled) {
                out.add(plain(shouldBeDisabled ? DynsecCommands.disableClient(user) : DynsecCommands.enableClient(user), id));
                if (shouldBeDisabled) {
                    disabled++;
                } else {
                    enabled++;
                }
            }
        }
        int clientsDeleted = 0;
        for (Client c : clients.values()) {
            if (!liveUsers.contains(c.username()) && c.roles().stream().anyMatch(r -> r.startsWith(rolePrefix))) {
                out.add(delete(DynsecCommands.deleteClient(c.username()), null));
                clientsDeleted++;
            }
        }
        int rolesDeleted = 0;
        for (String role : roles.keySet()) {
            if (role.startsWith(rolePrefix) && !liveRoles.contains(role)) {
                out.add(delete(DynsecCommands.deleteRole(role), null));
                rolesDeleted++;
            }
        }
        return new Resync(out, rolesCreated, rolesUpdated, rolesDeleted, clientsUpdated, enabled, disabled, clientsDeleted, missing);
    }

    record Client(String username, Set<String> roles, boolean disabled) {
    }

    /** An ACL as the plugin lists it; the priority is left out (Rosetta writes 0). */
    record Acl(String type, String topic, boolean allow) {
        static Set<Acl> of(List<String> topics) {
            Set<Acl> out = new HashSet<>();
            for (String t : topics) {
                for (String type : DynsecCommands.ACL_TYPES) {
                    out.add(new Acl(type, t, true));
                }
            }
            return out;
        }
    }

    static Map<String, Client> clients(JsonObject data) {
        Map<String, Client> out = new HashMap<>();
        if (data != null && data.getOrNull("clients") instanceof JsonArray list) {
            for (JsonValue v : list) {
                if (v instanceof JsonObject o && o.getOrNull("username") instanceof JsonString u) {
                    Set<String> roles = new LinkedHashSet<>();
                    if (o.getOrNull("roles") instanceof JsonArray rs) {
                        for (JsonValue r : rs) {
                            if (r instanceof JsonObject ro && ro.getOrNull("rolename") instanceof JsonString n) {
                                roles.add(n.value());
                            }
                        }
                    }
                    out.put(u.value(), new Client(u.value(), roles, JsonBoolean.TRUE.equals(o.getOrNull("disabled"))));
                }
            }
        }
        return out;
    }

    static Map<String, Set<Acl>> roles(JsonObject data) {
        Map<String, Set<Acl>> out = new HashMap<>();
        if (data != null && data.getOrNull("roles") instanceof JsonArray list) {
            for (JsonValue v : list) {
                if (v instanceof JsonObject o && o.getOrNull("rolename") instanceof JsonString n) {
                    Set<Acl> acls = new HashSet<>();
                    if (o.getOrNull("acls") instanceof JsonArray as) {
                        for (JsonValue a : as) {
                            if (a instanceof JsonObject ao && ao.getOrNull("acltype") instanceof JsonString type
                                    && ao.getOrNull("topic") instanceof JsonString topic) {
                                acls.add(new Acl(type.value(), topic.value(), !JsonBoolean.FALSE.equals(ao.getOrNull("allow"))));
                            }
                        }
                    }
                    out.put(n.value(), acls);
                }
            }
        }
        return out;
    }
}
