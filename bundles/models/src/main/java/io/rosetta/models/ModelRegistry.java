package io.rosetta.models;

import java.util.Collection;
import java.util.Optional;

/**
 * The semantic models Rosetta knows: W3C WoT Thing Models loaded from model bundles and from
 * {@code etc/models/}. A twin's {@code definition} names a device-level model; its features follow
 * the model's {@code tm:submodel} links (instance name = feature id), as Eclipse Ditto's WoT
 * integration maps them.
 */
public interface ModelRegistry {

    /** A device-level or feature-level model by id (e.g. {@code rosetta:temperature-humidity-sensor:1.0.0}). */
    Optional<ThingModel> model(String id);

    Collection<ThingModel> models();

    /**
     * Converts a value between units given as UCUM codes ({@code Cel}, {@code [degF]}, {@code W},
     * {@code kW.h}), using the units library. Throws {@link UnitConversionException} when a unit is
     * unknown or the two are not commensurable.
     */
    double convert(double value, String fromUnit, String toUnit);
}
