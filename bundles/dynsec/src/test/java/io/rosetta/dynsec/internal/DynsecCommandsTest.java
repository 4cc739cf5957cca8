package io.rosetta.dynsec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON of the plugin's commands, as its documentation (plugins/dynamic-security/README.md of Mosquitto 2.0) spells them. */
class DynsecCommandsTest {

    private static String json(JsonObject o) {
        return Json.write(o);
    }

    @Test
    void rolesAllowTheDevicesTopicsToSendReceiveAndSubscribe() {
        assertThat(json(DynsecCommands.createRole("rosetta-device-th16", "device th16", List.of("tele/th16/#", "cmnd/th16/#"))))
                .isEqualTo("{\"command\":\"createRole\",\"rolename\":\"rosetta-device-th16\",\"textname\":\"device th16\",\"acls\":["
                        + "{\"acltype\":\"publishClientSend\",\"topic\":\"tele/th16/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"publishClientReceive\",\"topic\":\"tele/th16/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"subscribePattern\",\"topic\":\"tele/th16/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"publishClientSend\",\"topic\":\"cmnd/th16/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"publishClientReceive\",\"topic\":\"cmnd/th16/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"subscribePattern\",\"topic\":\"cmnd/th16/#\",\"priority\":0,\"allow\":true}]}");
        assertThat(json(DynsecCommands.modifyRole("r", List.of("a/#"))))
                .isEqualTo("{\"command\":\"modifyRole\",\"rolename\":\"r\",\"acls\":["
                        + "{\"acltype\":\"publishClientSend\",\"topic\":\"a/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"publishClientReceive\",\"topic\":\"a/#\",\"priority\":0,\"allow\":true},"
                        + "{\"acltype\":\"subscribePattern\",\"topic\":\"a/#\",\"priority\":0,\"allow\":true}]}");
        assertThat(json(DynsecCommands.deleteRole("r"))).isEqualTo("{\"command\":\"deleteRole\",\"rolename\":\"r\"}");
    }

    @Test
    void clientsCarryTheirRole() {
        assertThat(json(DynsecCommands.createClient("th16", "s3cret-pw", "th16", "Rosetta device, twin device:th16", "rosetta-device-th16")))
                .isEqualTo("{\"command\":\"createClient\",\"username\":\"th16\",\"password\":\"s3cret-pw\",\"textname\":\"th16\","
                        + "\"textdescription\":\"Rosetta device, twin device:th16\",\"roles\":[{\"rolename\":\"rosetta-device-th16\"}]}");
        assertThat(json(DynsecCommands.modifyClient("th16", null, null, null, List.of("a", "b"))))
                .isEqualTo("{\"command\":\"modifyClient\",\"username\":\"th16\",\"roles\":[{\"rolename\":\"a\"},{\"rolename\":\"b\"}]}");
        assertThat(json(DynsecCommands.setClientPassword("th16", "n3w-pw")))
                .isEqualTo("{\"command\":\"setClientPassword\",\"username\":\"th16\",\"password\":\"n3w-pw\"}");
        assertThat(json(DynsecCommands.enableClient("th16"))).isEqualTo("{\"command\":\"enableClient\",\"username\":\"th16\"}");
        assertThat(json(DynsecCommands.disableClient("th16"))).isEqualTo("{\"command\":\"disableClient\",\"username\":\"th16\"}");
        assertThat(json(DynsecCommands.deleteClient("th16"))).isEqualTo("{\"command\":\"deleteClient\",\"username\":\"th16\"}");
    }

    @Test
    void listingsAndTheEnvelopeWithCorrelationIds() {
        assertThat(json(DynsecCommands.envelope(List.of(DynsecCommands.withCorrelation(DynsecCommands.listClients(), "r1"),
                DynsecCommands.withCorrelation(DynsecCommands.listRoles(), "r2")))))
                .isEqualTo("{\"commands\":[{\"command\":\"listClients\",\"verbose\":true,\"count\":-1,\"offset\":0,\"correlationData\":\"r1\"},"
                        + "{\"command\":\"listRoles\",\"verbose\":true,\"count\":-1,\"offset\":0,\"correlationData\":\"r2\"}]}");
    }

    @Test
    void aCommandPrintsWithoutItsPassword() {
        DynsecCommand c = new DynsecCommand(DynsecCommands.createClient("th16", "s3cret-pw", "th16", "d", "r"), "th16", null, false);
        assertThat(c.toString()).isEqualTo("createClient (device th16)").doesNotContain("s3cret");
    }
}
