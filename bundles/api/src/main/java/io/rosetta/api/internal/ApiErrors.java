package io.rosetta.api.internal;

import io.rosetta.core.json.JsonPointer;
import io.rosetta.core.model.ThingId;
import io.rosetta.core.model.TwinException;
import java.util.Collection;

/** The API's own refusals, shaped as Eclipse Ditto shapes them (status, error code, message, description). */
final class ApiErrors {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private ApiErrors() {
    }

    static TwinException invalidJson(String detail) {
        return new TwinException(400, "json.invalid", "Failed to parse JSON string: " + detail,
                "Check if the JSON was valid (e.g. on https://jsonlint.com) and if it was in required format.");
    }

    static TwinException invalidPointer(String detail) {
        return new TwinException(400, "json.pointer.invalid", detail,
                "Check, for example, if the JSON Pointer is not empty and has no consecutive or trailing slashes.");
    }

    static TwinException invalidFieldSelector(String fields, String detail) {
        return new TwinException(400, "json.fieldselector.invalid", "The field selector <" + fields + "> is not valid: " + detail,
                "Write e.g. fields=thingId,attributes/location,features(temperature)");
    }

    static TwinException unsupportedMediaType(String given, String allowed) {
        if (given == null || given.isBlank()) {
            return new TwinException(415, "mediatype.unsupported",
                    "The Content-Type header was empty or not present. Please set Content-Type header to \"" + allowed
                            + "\" for this resource", "Allowed Media-Type is: <" + allowed + ">.");
        }
        return new TwinException(415, "mediatype.unsupported", "The Media-Type <" + given + "> is not supported for this resource.",
                "Allowed Media-Type is: <" + allowed + ">.");
    }

    static TwinException tooLarge(long size, long max) {
        return new TwinException(413, "things:thing.toolarge",
                "The size of '" + kb(size) + "' kB exceeds the maximal allowed request size of '" + kb(max) + "' kB.",
                "Reduce the size of the request body to at most " + max + " bytes.");
    }

    private static String kb(long bytes) {
        return String.valueOf(Math.round(bytes / 102.4) / 10.0);
    }

    static TwinException methodNotAllowed(String method, String path, Collection<String> allowed) {
        return new TwinException(405, "gateway:method.notallowed",
                "The method " + method + " is not allowed on '" + path + "'.", "Allowed methods: " + String.join(", ", allowed) + ".");
    }

    static TwinException resourceNotFound(String path) {
        return new TwinException(404, "gateway:resource.notfound", "The resource '" + path + "' does not exist.",
                "See /api/2/openapi.json for the resources of this API.");
    }

    static TwinException idNotSettable() {
        return new TwinException(400, "things:id.notsettable", "The Thing ID in the request body is not equal to the Thing ID in the request URL.",
                "POST creates a thing with a generated ID: leave thingId out of the body, or use PUT /api/2/things/{thingId}.");
    }

    static TwinException notAcceptable(String message, String description) {
        return new TwinException(406, "wot:tm.notfound", message, description);
    }

    /** The 404 of a GET on a sub-resource that has no value, with Ditto's error code for that resource. */
    static TwinException notFound(ThingId id, ThingsPath.Resource resource, JsonPointer pointer, String featureId) {
        String thing = "the Thing with ID '" + id + "'";
        return switch (resource) {
            case ATTRIBUTES -> new TwinException(404, "things:attributes.notfound",
                    "The Attributes of " + thing + " could not be found or the requester had insufficient permissions to access it.",
                    "Check if the ID of the Thing was correct and you have sufficient permissions.");
            case ATTRIBUTE -> new TwinException(404, "things:attribute.notfound",
                    "The attribute with key '" + pointer.skip(1) + "' on " + thing
                            + " could not be found or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing was correct, you have sufficient permissions and ensure that the attribute key is correctly spelled.");
            case FEATURES -> new TwinException(404, "things:features.notfound",
                    "The Features on " + thing + " do not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing was correct and you have sufficient permissions.");
            case FEATURE -> featureNotFound(id, featureId);
            case PROPERTIES -> new TwinException(404, "things:feature.properties.notfound",
                    "The Properties of the Feature with ID '" + featureId + "' on " + thing
                            + " do not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing and Feature was correct and you have sufficient permissions.");
            case PROPERTY -> new TwinException(404, "things:feature.property.notfound",
                    "The Property with JSON Pointer '" + pointer.skip(3) + "' of the Feature with ID '" + featureId + "' on " + thing
                            + " does not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing, Feature and Property was correct and you have sufficient permissions.");
            case DESIRED_PROPERTIES -> new TwinException(404, "things:feature.desiredProperties.notfound",
                    "The desired properties of the Feature with ID '" + featureId + "' on " + thing
                            + " do not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing and Feature was correct and you have sufficient permissions.");
            case DESIRED_PROPERTY -> new TwinException(404, "things:feature.desiredProperty.notfound",
                    "The desired property with JSON Pointer '" + pointer.skip(3) + "' of the Feature with ID '" + featureId + "' on " + thing
                            + " does not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing, Feature and desired Property was correct and you have sufficient permissions.");
            case FEATURE_DEFINITION -> new TwinException(404, "things:feature.definition.notfound",
                    "The Definition of the Feature with ID '" + featureId + "' on " + thing
                            + " does not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing and Feature was correct and you have sufficient permissions.");
            case DEFINITION -> new TwinException(404, "things:definition.notfound",
                    "The definition of " + thing + " does not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing was correct and you have sufficient permissions.");
            case POLICY_ID -> new TwinException(404, "things:policyid.notfound",
                    "The Policy ID of " + thing + " does not exist or the requester had insufficient permissions to access it.",
                    "Check if the ID of your requested Thing was correct and you have sufficient permissions.");
            case THING, THINGS -> TwinException.notFound(id);
        };
    }

    static TwinException featureNotFound(ThingId id, String featureId) {
        return new TwinException(404, "things:feature.notfound",
                "The Feature with ID '" + featureId + "' on the Thing with ID '" + id
                        + "' could not be found or the requester had insufficient permissions to access it.",
                "Check if the ID of your requested Thing and Feature was correct and you have sufficient permissions.");
    }
}
