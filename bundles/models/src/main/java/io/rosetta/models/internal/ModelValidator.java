package io.rosetta.models.internal;

import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.Feature;
import io.rosetta.core.model.ModelViolationException;
import io.rosetta.core.model.Thing;
import io.rosetta.core.registry.TwinValidator;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.ThingModel;
import io.rosetta.models.ValidationStats;
import io.rosetta.models.internal.CompiledModel.CompiledFeature;
import io.rosetta.models.internal.CompiledModel.CompiledProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a candidate twin against the WoT Thing Model its {@code definition} names, before the
 * registry commits it. For every feature that the model declares (its {@code tm:submodel}
 * instance names), every value in {@code properties} and {@code desiredProperties} must fit the
 * property's declaration: JSON type ({@code integer} vs {@code number}, {@code boolean},
 * {@code string}, ...), {@code minimum}/{@code maximum} and {@code enum}; a desired value for a
 * {@code readOnly} property is refused. A property that the feature's model does not declare is
 * refused unless {@code rejectUnknownProperties} is off; features the model does not declare are
 * accepted as they are. A definition that names no known model is accepted (logged once).
 *
 * <p>The check is cheap: models are compiled into hash tables once, and only what changed against
 * {@code previous} is looked at (features and values keep their identity when a merge patch does
 * not touch them).
 */
@Component(service = {TwinValidator.class, ValidationStats.class}, configurationPid = ModelValidator.PID)
@Designate(ocd = ModelValidator.Config.class)
public final class ModelValidator implements TwinValidator, ValidationStats {

    public static final String PID = "io.rosetta.models.validation";

    private static final Logger LOG = LoggerFactory.getLogger(ModelValidator.class);
    private static final int MAX_REMEMBERED_UNKNOWN = 1024;
    private static final String PROPERTIES = "properties";
    private static final String DESIRED = "desiredProperties";

    @ObjectClassDefinition(name = "Rosetta model validation", description = "How twins are checked against their WoT Thing Model.")
    public @interface Config {
        @AttributeDefinition(description = "Refuse properties that the feature's model does not declare.")
        boolean rejectUnknownProperties() default true;

        @AttributeDefinition(description = "Check desiredProperties too (type, range, enum, read-only).")
        boolean validateDesiredProperties() default true;
    }

    private final ModelRegistry registry;
    private final boolean rejectUnknown;
    private final boolean checkDesired;
    private final Map<String, CompiledModel> compiled = new ConcurrentHashMap<>();
    private final Set<String> unknownLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder validated = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder unknownModel = new LongAdder();
    private final Map<Violation, LongAdder> violations = new ConcurrentHashMap<>();

    @Activate
    public ModelValidator(@Reference ModelRegistry registry, Config config) {
        this(registry, config.rejectUnknownProperties(), config.validateDesiredProperties());
    }

    /** A validator over any model registry (tests and benchmarks outside OSGi). */
    public ModelValidator(ModelRegistry registry, boolean rejectUnknownProperties, boolean validateDesiredProperties) {
        this.registry = registry;
        this.rejectUnknown = rejectUnknownProperties;
        this.checkDesired = validateDesiredProperties;
    }

    @Override
    public void validate(Thing candidate, Thing previous) {
        String definition = candidate.definition().orElse(null);
        if (definition == null || !candidate.hasFeatures()) {
            return;
        }
        CompiledModel model = compiled(definition);
        if (model == null) {
            unknownModel.increment();
            if (unknownLogged.size() < MAX_REMEMBERED_UNKNOWN && unknownLogged.add(definition)) {
                LOG.info("Twins with the definition '{}' are not checked: no such model is loaded", definition);
            }
            return;
        }
        validated.increment();
        boolean sameModel = previous != null && definition.equals(previous.definition().orElse(null));
        List<String> problems = null;
        for (Feature feature : candidate.features()) {
            CompiledFeature cf = model.feature(feature.id());
            if (cf == null) {
                continue;
            }
            Feature before = sameModel ? previous.feature(feature.id()).orElse(null) : null;
            if (before == feature) {
                continue;
            }
            problems = check(definition, feature.id(), cf, false, feature.properties(),
                    before == null ? null : before.properties(), problems);
            if (checkDesired) {
                problems = check(definition, feature.id(), cf, true, feature.desiredProperties(),
                        before == null ? null : before.desiredProperties(), problems);
            }
        }
        if (problems != null) {
            rejected.increment();
            throw new ModelViolationException(definition, problems);
        }
    }

    private List<String> check(String definition, String featureId, CompiledFeature cf, boolean desired, JsonObject values,
                               JsonObject before, List<String> problems) {
        if (values == null || values == before) {
            return problems;
        }
        String member = desired ? DESIRED : PROPERTIES;
        for (int i = 0; i < values.size(); i++) {
            JsonValue value = values.valueAt(i);
            String name = values.keyAt(i);
            if (before != null && before.getOrNull(name) == value) {
                continue;
            }
            CompiledProperty p = cf.property(name);
            Reason reason;
            String message;
            if (p == null) {
                if (!rejectUnknown) {
                    continue;
                }
                reason = Reason.UNKNOWN_PROPERTY;
                message = "the feature model " + cf.modelId + " declares no property '" + name + "'";
            } else if (desired && p.readOnly) {
                reason = Reason.READ_ONLY;
                message = p.explain(reason, value);
            } else {
                reason = p.check(value);
                if (reason == null) {
                    continue;
                }
                message = p.explain(reason, value);
            }
            violations.computeIfAbsent(new Violation(definition, reason), k -> new LongAdder()).increment();
            if (problems == null) {
                problems = new ArrayList<>(2);
            }
            problems.add("features/" + featureId + "/" + member + "/" + name + ": " + message);
        }
        return problems;
    }

    private CompiledModel compiled(String id) {
        CompiledModel c = compiled.get(id);
        ThingModel current = registry.model(id).orElse(null);
        if (current == null) {
            if (c != null) {
                compiled.remove(id, c);
            }
            return null;
        }
        if (c == null || c.model != current) {
            c = new CompiledModel(current);
            compiled.put(id, c);
        }
        return c;
    }

    // ---- ValidationStats

    @Override
    public long validated() {
        return validated.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public long unknownModel() {
        return unknownModel.sum();
    }

    @Override
    public Map<Violation, Long> violations() {
        Map<Violation, Long> out = new LinkedHashMap<>();
        violations.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
