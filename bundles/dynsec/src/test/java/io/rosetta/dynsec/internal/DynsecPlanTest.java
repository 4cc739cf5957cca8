package io.rosetta.dynsec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.ThingId;
import io.rosetta.devices.Credentials;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which commands each change of the registry becomes, and what a resync does with what Mosquitto lists. */
class DynsecPlanTest {

    static final String HASH = "$argon2id$v=19$m=4096,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$suWr31xVOCjRH4hK7kQDya5AC6VfBZMRzU+21fiDp7A";
    private final DynsecPlan plan = new DynsecPlan("rd-", DeviceTopics.from(Map.of("device.topics", "tele/{deviceId}/#, cmnd/{deviceId}/#")));
    private final List<String> unknown = new ArrayList<>();

    static Device device(String id, LifecycleState state, String user, String hash, long version) {
        Credentials c = user == null ? Credentials.none() : new Credentials(version, user, hash, null, null, null);
        return new Device(id, ThingId.of("device", id), "mqtt", "rosetta:temperature-humidity-sensor:1.0.0", state, c, null, Instant.EPOCH,
                Instant.EPOCH);
    }

    private List<String> onEvent(DeviceEvent.Type type, Device before, Device after, String password) {
        return plan.onEvent(new DeviceEvent(type, before, after, "test", null, password), unknown).stream()
                .map(c -> Json.write(c.body()) + (c.onExists() != null ? " | exists: " + c.onExists().name() : "")
                        + (c.absentIsDone() ? " | absent is done" : ""))
                .toList();
    }

    @Test
    void provisioningMakesTheRoleAndTheClientWithThePasswordOfTheEvent() {
        Device d = device("th16", LifecycleState.PROVISIONED, "th16", HASH, 1);
        List<String> cmds = onEvent(DeviceEvent.Type.PROVISIONED, null, d, "th16-password");
        assertThat(cmds).hasSize(3);
        assertThat(cmds.get(0)).startsWith("{\"command\":\"createRole\",\"rolename\":\"rd-th16\"").contains("\"topic\":\"tele/th16/#\"")
                .endsWith("| exists: modifyRole");
        assertThat(cmds.get(1)).startsWith("{\"command\":\"createClient\",\"username\":\"th16\",\"password\":\"th16-password\"")
                .contains("\"roles\":[{\"rolename\":\"rd-th16\"}]").endsWith("| exists: modifyClient");
        assertThat(cmds.get(2)).isEqualTo("{\"command\":\"enableClient\",\"username\":\"th16\"}");
        assertThat(unknown).isEmpty();

        // given as a hash: the role, and the device is reported
        assertThat(onEvent(DeviceEvent.Type.PROVISIONED, null, device("h1", LifecycleState.PROVISIONED, "h1", HASH, 1), null))
                .singleElement().asString().startsWith("{\"command\":\"createRole\"");
        assertThat(unknown).containsExactly("h1");
        // no MQTT credentials: nothing
        assertThat(onEvent(DeviceEvent.Type.PROVISIONED, null, device("c1", LifecycleState.PROVISIONED, null, null, 1), null)).isEmpty();
    }

    @Test
    void lifecycleDisablesEnablesAndDeletes() {
        Device active = device("th16", LifecycleState.ACTIVE, "th16", HASH, 1);
        Device suspended = device("th16", LifecycleState.SUSPENDED, "th16", HASH, 1);
        assertThat(onEvent(DeviceEvent.Type.LIFECYCLE_CHANGED, device("th16", LifecycleState.PROVISIONED, "th16", HASH, 1), active, null))
                .as("first contact changes nothing in Mosquitto").isEmpty();
        assertThat(onEvent(DeviceEvent.Type.LIFECYCLE_CHANGED, active, suspended, null))
                .containsExactly("{\"command\":\"disableClient\",\"username\":\"th16\"}");
        assertThat(onEvent(DeviceEvent.Type.LIFECYCLE_CHANGED, suspended, active, null))
                .containsExactly("{\"command\":\"enableClient\",\"username\":\"th16\"}");
        Device gone = device("th16", LifecycleState.DECOMMISSIONED, null, null, 2);
        assertThat(onEvent(DeviceEvent.Type.LIFECYCLE_CHANGED, suspended, gone, null)).containsExactly(
                "{\"command\":\"deleteClient\",\"username\":\"th16\"} | absent is done",
                "{\"command\":\"deleteRole\",\"rolename\":\"rd-th16\"} | absent is done");
    }

    @Test
    void credentialChanges() {
        Device before = device("th16", LifecycleState.ACTIVE, "th16", HASH, 1);
        Device newHash = device("th16", LifecycleState.ACTIVE, "th16", HASH.replace("suWr", "XuWr"), 2);
        assertThat(onEvent(DeviceEvent.Type.CREDENTIALS_CHANGED, before, newHash, "new-password"))
                .containsExactly("{\"command\":\"setClientPassword\",\"username\":\"th16\",\"password\":\"new-password\"}");
        assertThat(onEvent(DeviceEvent.Type.CREDENTIALS_CHANGED, before, newHash, null))
                .as("a new hash without its password: the old password must stop working")
                .containsExactly("{\"command\":\"disableClient\",\"username\":\"th16\"}");
        assertThat(unknown).containsExactly("th16");

        Device renamed = device("th16", LifecycleState.ACTIVE, "th16-b", HASH, 2);
        List<String> cmds = onEvent(DeviceEvent.Type.CREDENTIALS_CHANGED, before, renamed, "pw-of-b-123");
        assertThat(cmds).hasSize(4);
        assertThat(cmds.get(0)).isEqualTo("{\"command\":\"deleteClient\",\"username\":\"th16\"} | absent is done");
        assertThat(cmds.get(1)).startsWith("{\"command\":\"createRole\"");
        assertThat(cmds.get(2)).startsWith("{\"command\":\"createClient\",\"username\":\"th16-b\",\"password\":\"pw-of-b-123\"");

        Device removed = device("th16", LifecycleState.ACTIVE, null, null, 2);
        assertThat(onEvent(DeviceEvent.Type.CREDENTIALS_CHANGED, before, removed, null)).containsExactly(
                "{\"command\":\"deleteClient\",\"username\":\"th16\"} | absent is done",
                "{\"command\":\"deleteRole\",\"rolename\":\"rd-th16\"} | absent is done");
    }

    @Test
    void newTopicsInTheConfigurationModifyTheRole() {
        Device before = device("gw", LifecycleState.ACTIVE, "gw", HASH, 1);
        Device after = before.withConfiguration(Json.parseObject("{\"mqttTopics\":[\"zigbee2mqtt/#\"]}"), Instant.EPOCH);
        List<String> cmds = onEvent(DeviceEvent.Type.CONFIGURATION_CHANGED, before, after, null);
        assertThat(cmds).singleElement().asString().contains("\"topic\":\"zigbee2mqtt/#\"").doesNotContain("tele/gw");
        assertThat(onEvent(DeviceEvent.Type.CONFIGURATION_CHANGED, after,
                after.withConfiguration(Json.parseObject("{\"mqttTopics\":[\"zigbee2mqtt/#\"],\"interval\":5}"), Instant.EPOCH), null))
                .as("other configuration keys: nothing").isEmpty();
    }

    @Test
    void resyncCorrectsRolesClientsAndStates() {
        Device ok = device("ok", LifecycleState.ACTIVE, "ok", HASH, 1);
        Device suspended = device("sus", LifecycleState.SUSPENDED, "sus", HASH, 1);
        Device noRole = device("norole", LifecycleState.PROVISIONED, "norole", HASH, 1);
        Device missing = device("missing", LifecycleState.ACTIVE, "missing", HASH, 1);
        Device gone = device("gone", LifecycleState.DECOMMISSIONED, null, null, 2);
        String okAcls = "[{\"acltype\":\"publishClientSend\",\"topic\":\"tele/ok/#\",\"priority\":0,\"allow\":true},"
                + "{\"acltype\":\"publishClientReceive\",\"topic\":\"tele/ok/#\",\"priority\":0,\"allow\":true},"
                + "{\"acltype\":\"subscribePattern\",\"topic\":\"tele/ok/#\",\"priority\":0,\"allow\":true},"
                + "{\"acltype\":\"subscribePattern\",\"topic\":\"cmnd/ok/#\",\"priority\":0,\"allow\":true},"
                + "{\"acltype\":\"publishClientSend\",\"topic\":\"cmnd/ok/#\",\"priority\":0,\"allow\":true},"
                + "{\"acltype\":\"publishClientReceive\",\"topic\":\"cmnd/ok/#\",\"priority\":0,\"allow\":true}]";
        JsonObject clients = Json.parseObject("{\"totalCount\":5,\"clients\":["
                + "{\"username\":\"admin\",\"roles\":[{\"rolename\":\"admin\"}]},"
                + "{\"username\":\"ok\",\"roles\":[{\"rolename\":\"rd-ok\"}]},"
                + "{\"username\":\"sus\",\"roles\":[{\"rolename\":\"rd-sus\"}]},"
                + "{\"username\":\"norole\",\"roles\":[{\"rolename\":\"other\"}],\"disabled\":true},"
                + "{\"username\":\"gone\",\"roles\":[{\"rolename\":\"rd-gone\"}]}]}");
        JsonObject roles = Json.parseObject("{\"roles\":[{\"rolename\":\"admin\",\"acls\":[]},"
                + "{\"rolename\":\"rd-ok\",\"acls\":" + okAcls + "},"
                + "{\"rolename\":\"rd-sus\",\"acls\":[{\"acltype\":\"publishClientSend\",\"topic\":\"#\",\"allow\":true}]},"
                + "{\"rolename\":\"rd-gone\",\"acls\":[]}]}");

        DynsecPlan.Resync r = plan.resync(List.of(ok, suspended, noRole, missing, gone), clients, roles);

        List<String> cmds = r.commands().stream().map(c -> Json.write(c.body())).toList();
        assertThat(r.rolesCreated()).as("norole, missing").isEqualTo(2);
        assertThat(r.rolesUpdated()).as("sus had '#'").isEqualTo(1);
        assertThat(r.clientsUpdated()).as("norole gets its role, keeps 'other'").isEqualTo(1);
        assertThat(r.clientsDisabled()).as("sus").isEqualTo(1);
        assertThat(r.clientsEnabled()).as("norole").isEqualTo(1);
        assertThat(r.clientsDeleted()).as("gone; admin is not Rosetta's").isEqualTo(1);
        assertThat(r.rolesDeleted()).isEqualTo(1);
        assertThat(r.missingClients()).containsExactly("missing");
        assertThat(cmds).contains("{\"command\":\"disableClient\",\"username\":\"sus\"}", "{\"command\":\"enableClient\",\"username\":\"norole\"}",
                "{\"command\":\"deleteClient\",\"username\":\"gone\"}", "{\"command\":\"deleteRole\",\"rolename\":\"rd-gone\"}");
        assertThat(cmds).anySatisfy(c -> assertThat(c).startsWith("{\"command\":\"modifyClient\",\"username\":\"norole\"")
                .contains("{\"rolename\":\"other\"},{\"rolename\":\"rd-norole\"}").doesNotContain("password"));
        assertThat(cmds).noneMatch(c -> c.contains("\"ok\"") || c.contains("rd-ok"));
        assertThat(cmds).hasSize(8);
    }
}
