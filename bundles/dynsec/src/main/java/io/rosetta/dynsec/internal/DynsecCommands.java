package io.rosetta.dynsec.internal;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the dynamic security plugin's commands (Mosquitto 2.0, {@code $CONTROL/dynamic-security/v1}). A role
 * allows each of a device's topic filters for {@code publishClientSend}, {@code publishClientReceive} and
 * {@code subscribePattern}; its client carries that role only.
 */
final class DynsecCommands {

    static final String TOPIC = "$CONTROL/dynamic-security/v1";
    static final String RESPONSE_TOPIC = TOPIC + "/response";
    static final List<String> ACL_TYPES = List.of("publishClientSend", "publishClientReceive", "subscribePattern");

    private DynsecCommands() {
    }

    /** {@code {"commands": [...]}} with each command's correlation id. */
    static JsonObject envelope(List<JsonObject> commands) {
        return JsonObject.of("commands", JsonArray.of(commands));
    }

    static JsonObject withCorrelation(JsonObject command, String correlationData) {
        return command.set("correlationData", JsonValue.of(correlationData));
    }

    static JsonArray acls(List<String> topics) {
        List<JsonValue> out = new ArrayList<>(topics.size() * ACL_TYPES.size());
        for (String topic : topics) {
            for (String type : ACL_TYPES) {
                out.add(JsonObject.newBuilder().set("acltype", type).set("topic", topic).set("priority", 0).set("allow", true).build());
            }
        }
        return JsonArray.of(out);
    }

    static JsonObject createRole(String role, String textname, List<String> topics) {
        return JsonObject.newBuilder().set("command", "createRole").set("rolename", role).set("textname", textname)
                .set("acls", acls(topics)).build();
    }

    static JsonObject modifyRole(String role, List<String> topics) {
        return JsonObject.newBuilder().set("command", "modifyRole").set("rolename", role).set("acls", acls(topics)).build();
    }

    static JsonObject deleteRole(String role) {
        return JsonObject.newBuilder().set("command", "deleteRole").set("rolename", role).build();
    }

    static JsonObject createClient(String username, String password, String textname, String textdescription, String role) {
        return JsonObject.newBuilder().set("command", "createClient").set("username", username).set("password", password)
                .set("textname", textname).set("textdescription", textdescription)
                .set("roles", JsonArray.of(JsonObject.of("rolename", JsonValue.of(role)))).build();
    }

    /** Sets what is given: the password unless {@code null}, the texts, and the roles (all of them: the list replaces the client's). */
    static JsonObject modifyClient(String username, String password, String textname, String textdescription, List<String> roles) {
        JsonObject.Builder b = JsonObject.newBuilder().set("command", "modifyClient").set("username", username);
        if (password != null) {
            b.set("password", password);
        }
        if (textname != null) {
            b.set("textname", textname);
        }
        if (textdescription != null) {
            b.set("textdescription", textdescription);
        }
        List<JsonValue> r = new ArrayList<>();
        roles.forEach(role -> r.add(JsonObject.of("rolename", JsonValue.of(role))));
        return b.set("roles", JsonArray.of(r)).build();
    }

    static JsonObject setClientPassword(String username, String password) {
        return JsonObject.newBuilder().set("command", "setClientPassword").set("username", username).set("password", password).build();
    }

    static JsonObject enableClient(String username) {
        return JsonObject.newBuilder().set("command", "enableClient").set("username", username).build();
    }

    /** Mosquitto also disconnects the clients logged in with this username. */
    static JsonObject disableClient(String username) {
        return JsonObject.newBuilder().set("command", "disableClient").set("username", username).build();
    }

    static JsonObject deleteClient(String username) {
        return JsonObject.newBuilder().set("command", "deleteClient").set("username", username).build();
    }

    static JsonObject listClients() {
        return JsonObject.newBuilder().set("command", "listClients").set("verbose", true).set("count", -1).set("offset", 0).build();
    }

    static JsonObject listRoles() {
        return JsonObject.newBuilder().set("command", "listRoles").set("verbose", true).set("count", -1).set("offset", 0).build();
    }
}
