package io.rosetta.devices.internal;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.registry.TwinTemplates;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelTwinTemplates;
import io.rosetta.models.internal.ModelValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A device registry on a real twin registry (validating with the shipped models) and the shipped models, in a folder. */
final class Fixture implements AutoCloseable {

    static final String SENSOR = "rosetta:temperature-humidity-sensor:1.0.0";
    static final String PLUG = "rosetta:smart-plug:1.0.0";
    /** Cheap Argon2id for tests that do not measure it. */
    static final Argon2Passwords.Parameters CHEAP = new Argon2Passwords.Parameters(256, 1, 1);
    static final ModelRegistry MODELS = ClassPathModels.registry(Fixture.class.getClassLoader());

    final Path dir;
    final TwinRegistryImpl twins;
    final TwinTemplates templates = new ModelTwinTemplates(MODELS);
    Settings settings;
    DeviceRegistryImpl registry;

    Fixture(Path dir) {
        this(dir, Settings.defaults(dir).withKdf(CHEAP));
    }

    Fixture(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
        this.twins = TwinRegistryImpl.inMemory();
        twins.setValidators(List.of(new ModelValidator(MODELS, true, true)));
        this.registry = open(settings);
    }

    DeviceRegistryImpl open(Settings s) {
        return new DeviceRegistryImpl(twins, MODELS, templates, s, Clock.systemUTC());
    }

    /** Closes the registry and opens it again on the same files (and the same twins). */
    DeviceRegistryImpl restart() {
        registry.close();
        registry = open(settings);
        return registry;
    }

    @Override
    public void close() {
        try {
            registry.close();
        } catch (RuntimeException e) {
            // already closed by the test
        }
        twins.close();
    }
}
