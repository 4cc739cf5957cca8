package io.rosetta.api.ditto;

import io.rosetta.core.model.TwinException;

/** An envelope that does not follow the Ditto protocol; answered with a Ditto error envelope (a WebSocket stays open). */
public final class DittoProtocolException extends TwinException {

    private static final long serialVersionUID = 1L;

    public DittoProtocolException(int status, String errorCode, String message, String description) {
        super(status, errorCode, message, description);
    }

    static DittoProtocolException invalidJson(String detail) {
        return new DittoProtocolException(400, "json.invalid", "Failed to parse JSON string: " + detail,
                "Check if the JSON was valid (e.g. on https://jsonlint.com) and if it was in required format.");
    }

    static DittoProtocolException invalidEnvelope(String detail) {
        return new DittoProtocolException(400, "things.protocol.adapter:envelope.invalid", "The Ditto protocol envelope is not valid: " + detail,
                "Send a JSON object with 'topic', 'headers', 'path' and, where the command needs one, 'value'.");
    }

    static DittoProtocolException unknownTopic(String topic) {
        return new DittoProtocolException(400, "things.protocol.adapter:unknown.topicpath", "The topic path '" + topic + "' is not supported.",
                "Use e.g. <namespace>/<name>/things/twin/commands/<create|retrieve|modify|merge|delete>.");
    }

    static DittoProtocolException unknownCommand(String what) {
        return new DittoProtocolException(400, "things.protocol.adapter:unknown.command", "The command '" + what + "' is not supported.",
                "Supported: twin commands create, retrieve, modify, merge, delete; START-SEND-EVENTS and STOP-SEND-EVENTS.");
    }

    static DittoProtocolException unknownPath(String path) {
        return new DittoProtocolException(400, "things.protocol.adapter:unknown.path", "The path '" + path + "' is not supported.",
                "Use '/' or a path into the thing: /attributes/..., /features/<id>/properties/..., /definition, /policyId.");
    }
}
