package io.rosetta.search.internal;

import io.rosetta.core.model.TwinException;

/** The search API's refusals, with Eclipse Ditto's error codes. */
final class SearchErrors {

    static final String RQL_INVALID = "rql.expression.invalid";
    static final String OPTION_INVALID = "thing-search:search.option.invalid";

    private SearchErrors() {
    }

    static TwinException invalidFilter(RqlException e) {
        return new TwinException(400, RQL_INVALID, "Invalid RQL expression: " + e.getMessage(),
                "Ensure that all opening parentheses have also closing ones and that the RQL expression is valid, "
                        + "e.g. and(eq(attributes/location,\"kitchen\"),gt(features/temperature/properties/value,20)).");
    }

    static TwinException invalidOption(String message) {
        return new TwinException(400, OPTION_INVALID, "Invalid search option: " + message,
                "Write e.g. option=sort(-_modified,+thingId),size(50) and pass nextCursor back as cursor(..) with the same filter.");
    }

    static TwinException invalidFieldSelector(String fields, String detail) {
        return new TwinException(400, "json.fieldselector.invalid", "The field selector <" + fields + "> is not valid: " + detail,
                "Write e.g. fields=thingId,attributes/location,features(temperature)");
    }

    static TwinException invalidParameter(String message) {
        return new TwinException(400, "thing-search:search.parameter.invalid", message,
                "The search accepts the parameters filter, option, fields and namespaces.");
    }

    static TwinException methodNotAllowed(String method, String path) {
        return new TwinException(405, "gateway:method.notallowed", "The method " + method + " is not allowed on '" + path + "'.",
                "Allowed methods: GET, POST.");
    }

    static TwinException resourceNotFound(String path) {
        return new TwinException(404, "gateway:resource.notfound", "The resource '" + path + "' does not exist.",
                "The search resources are /api/2/search/things and /api/2/search/things/count.");
    }
}
