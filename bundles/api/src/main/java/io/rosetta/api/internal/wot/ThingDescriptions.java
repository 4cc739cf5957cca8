package io.rosetta.api.internal.wot;

import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.Thing;
import java.util.Optional;

/**
 * W3C WoT for the API: Thing Descriptions generated from a twin's model, and the Thing Models
 * themselves. Available while a model registry runs; the API answers 406 for a Thing Description
 * otherwise.
 */
public interface ThingDescriptions {

    String TD_MEDIA_TYPE = "application/td+json";
    String TM_MEDIA_TYPE = "application/tm+json";

    /**
     * The Thing Description of a twin, from the model its {@code definition} names.
     *
     * @param base the absolute URL of the thing's resource, ending with '/'
     * @throws io.rosetta.core.model.TwinException 406 when the twin has no definition or the model is unknown
     */
    JsonObject thing(Thing thing, String base);

    /** The Thing Description of one feature of a twin, from the feature's model. */
    JsonObject feature(Thing thing, String featureId, String base);

    /** The known models, sorted by id: {@code [{"id":..,"title":..,"description":..}]}. */
    JsonArray models();

    /** A Thing Model as it was loaded (JSON-LD). */
    Optional<JsonObject> model(String id);
}
