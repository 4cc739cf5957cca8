package io.rosetta.models.internal;

import io.rosetta.models.UnitConversionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.measure.IncommensurableException;
import javax.measure.UnconvertibleException;
import javax.measure.Unit;
import systems.uom.ucum.format.UCUMFormat;

/**
 * Unit conversion with the JSR 385 reference implementation (Indriya) and its UCUM system: units
 * are UCUM case-sensitive codes ({@code Cel}, {@code [degF]}, {@code kW.h}, {@code km/h},
 * {@code [ppm]}); every factor and offset comes from the library. Parsed units and converters are
 * cached (bounded), so a conversion after the first is two map reads and the arithmetic: for the usual affine
 * units one multiplication and one addition in doubles ({@link Conversion}).
 *
 * <p>A few spellings that devices send although they are not UCUM ({@code kWh}, {@code ppm},
 * {@code °C}, {@code dBm}) are accepted as aliases of the UCUM code: symbol names only, never
 * factors.
 *
 * <p>Inside OSGi, Indriya looks up its service providers and number system through the thread
 * context class loader; every call into the library therefore runs with the context class loader
 * set to Indriya's own (and restores it).
 */
public final class UcumUnits {

    /** Non-UCUM spellings seen in device payloads, mapped to their UCUM code. */
    static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("°C", "Cel"), Map.entry("℃", "Cel"), Map.entry("degC", "Cel"),
            Map.entry("°F", "[degF]"), Map.entry("℉", "[degF]"), Map.entry("degF", "[degF]"),
            Map.entry("Wh", "W.h"), Map.entry("kWh", "kW.h"), Map.entry("MWh", "MW.h"),
            Map.entry("VA", "V.A"), Map.entry("kVAh", "kV.A.h"),
            Map.entry("ppm", "[ppm]"), Map.entry("ppb", "[ppb]"),
            Map.entry("µg/m³", "ug/m3"), Map.entry("μg/m3", "ug/m3"), Map.entry("µg/m3", "ug/m3"),
            Map.entry("dBm", "dB[mW]"), Map.entry("kmh", "km/h"), Map.entry("kph", "km/h"),
            Map.entry("°", "deg"), Map.entry("lux", "lx"));

    private static final int MAX_CACHED = 1024;

    private final UCUMFormat format;
    private final ClassLoader libraryLoader = tech.units.indriya.AbstractUnit.class.getClassLoader();
    private final Map<String, Unit<?>> units = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Conversion>> converters = new ConcurrentHashMap<>();

    public UcumUnits() {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(libraryLoader);
        try {
            format = UCUMFormat.getInstance(UCUMFormat.Variant.CASE_SENSITIVE);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Converts {@code value} from one UCUM unit to another. */
    public double convert(double value, String fromUnit, String toUnit) {
        return conversion(fromUnit, toUnit).convert(value);
    }

    /** True when the code is a unit the library knows. */
    public boolean isKnown(String code) {
        try {
            unit(code);
            return true;
        } catch (UnitConversionException e) {
            return false;
        }
    }

    Conversion conversion(String fromUnit, String toUnit) {
        Map<String, Conversion> byTarget = converters.get(fromUnit);
        Conversion c = byTarget == null ? null : byTarget.get(toUnit);
        if (c != null) {
            return c;
        }
        Unit<?> from = unit(fromUnit);
        Unit<?> to = unit(toUnit);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(libraryLoader);
        try {
            c = Conversion.of(from.getConverterToAny(to));
        } catch (IncommensurableException | UnconvertibleException e) {
            throw new UnitConversionException("Cannot convert '" + fromUnit + "' to '" + toUnit
                    + "': the units measure different quantities (" + from.getDimension() + " vs " + to.getDimension() + ")", e);
        } finally {
            t.setContextClassLoader(previous);
        }
        if (converters.size() < MAX_CACHED) {
            Map<String, Conversion> m = converters.computeIfAbsent(fromUnit, k -> new ConcurrentHashMap<>());
            if (m.size() < MAX_CACHED) {
                m.put(toUnit, c);
            }
        }
        return c;
    }

    Unit<?> unit(String code) {
        if (code == null || code.isBlank()) {
            throw new UnitConversionException("A unit code must not be empty");
        }
        Unit<?> u = units.get(code);
        if (u != null) {
            return u;
        }
        String ucum = code.startsWith(ThingModelParser.UCUM_PREFIX) ? code.substring(ThingModelParser.UCUM_PREFIX.length()) : code;
        ucum = ALIASES.getOrDefault(ucum, ucum);
        u = parse(code, ucum);
        if (units.size() < MAX_CACHED) {
            units.put(code, u);
        }
        return u;
    }

    private Unit<?> parse(String code, String ucum) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(libraryLoader);
        try {
            // the generated UCUM parser is not thread-safe; parsing happens once per code
            synchronized (format) {
                return format.parse(ucum);
            }
        } catch (RuntimeException | Error e) {
            // the UCUM tokenizer reports unknown characters with an Error (TokenMgrError)
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            throw new UnitConversionException("Unknown unit '" + code + "': not a UCUM code the units library knows", e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
