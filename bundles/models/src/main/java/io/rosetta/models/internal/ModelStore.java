package io.rosetta.models.internal;

import io.rosetta.models.ActionModel;
import io.rosetta.models.FeatureModel;
import io.rosetta.models.PropertyModel;
import io.rosetta.models.ThingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded Thing Models, by source (a file of a model bundle, or a file of the models folder),
 * and their resolved form by id. Writers (the bundle extender, the folder installer) are
 * serialized; readers see an immutable snapshot that is replaced after every change, so a lookup
 * is one map read.
 *
 * <p>Resolution: {@code tm:extends} links inherit properties, actions and submodels of the base
 * (the extending model's own win); every {@code tm:submodel} link becomes a feature whose id is the
 * link's {@code instanceName}. A link's {@code href} is a model id, or a file name / URL whose last
 * segment is the file name of a loaded model. A model with a link that cannot be resolved is
 * kept aside (see {@link #unresolved()}) and becomes available as soon as the target is loaded.
 * When two sources carry the same id, the one of higher priority wins (a file in the models
 * folder overrides a bundle), then the one loaded first.
 */
public final class ModelStore {

    /** Priority of models shipped in bundles. */
    public static final int BUNDLE = 0;
    /** Priority of models dropped into the models folder: they override shipped ones. */
    public static final int FOLDER = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

    private final Map<String, Entry> sources = new LinkedHashMap<>();
    /** The bytes last read from each source (loaded or refused), so that reading the same file again changes nothing. */
    private final Map<String, byte[]> lastContent = new HashMap<>();
    private final AtomicLong loaded = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of());

    private record Entry(RawModel model, String fileName, int priority) {
    }

    private record Snapshot(Map<String, ThingModel> models, Map<String, String> unresolved) {
    }

    /** One model file to load: where it comes from, its file name and its bytes. */
    public record ModelFile(String source, String fileName, int priority, byte[] content) {
    }

    public Optional<ThingModel> model(String id) {
        return Optional.ofNullable(snapshot.models.get(id));
    }

    /** The model with this id or {@code null}: the allocation-free lookup of the validator. */
    public ThingModel modelOrNull(String id) {
        return snapshot.models.get(id);
    }

    public Collection<ThingModel> models() {
        return snapshot.models.values();
    }

    public Map<String, String> unresolved() {
        return snapshot.unresolved;
    }

    public long loadedFiles() {
        return loaded.get();
    }

    public long malformedFiles() {
        return malformed.get();
    }

    /**
     * Loads model files; a malformed one is logged (one line naming the source and the problem),
     * counted and skipped, and does not stop the others. A file whose bytes did not change since
     * it was last read is skipped (neither loaded nor counted again). Returns how many were loaded.
     */
    public synchronized int load(List<ModelFile> files) {
        int ok = 0;
        for (ModelFile f : files) {
            byte[] previous = lastContent.put(f.source(), f.content());
            if (previous != null && Arrays.equals(previous, f.content())) {
                continue;
            }
            try {
                RawModel model = ThingModelParser.parse(f.content());
                sources.put(f.source(), new Entry(model, f.fileName(), f.priority()));
                loaded.incrementAndGet();
                ok++;
            } catch (ModelFormatException e) {
                malformed.incrementAndGet();
                // a file that turned bad no longer provides its former content
                sources.remove(f.source());
                LOG.warn("Skipping the malformed model file {}: {}", f.source(), e.getMessage());
            }
        }
        rebuild();
        return ok;
    }

    /** True when the source provides a (well-formed) model now. */
    public synchronized boolean hasSource(String source) {
        return sources.containsKey(source);
    }

    /** Counts and logs a file that could not even be read. */
    public void unreadable(String source, Exception e) {
        malformed.incrementAndGet();
        LOG.warn("Skipping the model file {}: it cannot be read ({})", source, e.toString());
    }

    /** Removes the models of the sources that start with {@code prefix}. */
    public synchronized int removeSources(String prefix) {
        int before = sources.size();
        sources.keySet().removeIf(k -> k.startsWith(prefix));
        lastContent.keySet().removeIf(k -> k.startsWith(prefix));
        int removed = before - sources.size();
        if (removed > 0) {
            rebuild();
        }
        return removed;
    }

    public synchronized boolean removeSource(String source) {
        lastContent.remove(source);
        if (sources.remove(source) == null) {
            return false;
        }
        rebuild();
        return true;
    }

    private void rebuild() {
        Map<String, Entry> byId = new LinkedHashMap<>();
        Map<String, String> byFileName = new HashMap<>();
        for (Map.Entry<String, Entry> e : sources.entrySet()) {
            Entry entry = e.getValue();
            String id = entry.model().id();
            Entry existing = byId.get(id);
            if (existing == null || entry.priority() > existing.priority()) {
                if (existing != null) {
                    LOG.info("The model {} from {} overrides an earlier one", id, e.getKey());
                }
                byId.put(id, entry);
            } else {
                LOG.warn("The model {} from {} is ignored: an earlier source provides the same id", id, e.getKey());
            }
            if (entry.fileName() != null) {
                byFileName.putIfAbsent(entry.fileName(), id);
            }
        }
        Resolver resolver = new Resolver(byId, byFileName);
        Map<String, ThingModel> models = new LinkedHashMap<>();
        Map<String, String> unresolved = new LinkedHashMap<>();
        for (String id : byId.keySet()) {
            try {
                models.put(id, resolver.resolve(id));
            } catch (ModelFormatException e) {
                unresolved.put(id, e.getMessage());
            }
        }
        Snapshot previous = snapshot;
        for (Map.Entry<String, String> u : unresolved.entrySet()) {
            if (!u.getValue().equals(previous.unresolved.get(u.getKey()))) {
                // usual while sources arrive one after another (e.g. at start); listed in unresolved()
                LOG.info("The model {} is not available yet: {}", u.getKey(), u.getValue());
            }
        }
        snapshot = new Snapshot(Collections.unmodifiableMap(models), Collections.unmodifiableMap(unresolved));
    }

    /** Resolves links among the models of one snapshot. */
    private static final class Resolver {
        private final Map<String, Entry> byId;
        private final Map<String, String> byFileName;
        private final Map<String, Base> bases = new HashMap<>();

        /** A model with its {@code tm:extends} chain folded in. */
        private record Base(RawModel model, Map<String, PropertyModel> properties, Map<String, ActionModel> actions,
                            List<RawModel.Submodel> submodels) {
        }

        Resolver(Map<String, Entry> byId, Map<String, String> byFileName) {
            this.byId = byId;
            this.byFileName = byFileName;
        }

        ThingModel resolve(String id) {
            Base base = base(id, new HashSet<>());
            Map<String, FeatureModel> features = new LinkedHashMap<>();
            for (RawModel.Submodel link : base.submodels()) {
                String target = lookup(link.href());
                if (target == null) {
                    throw new ModelFormatException("its submodel '" + link.href() + "' (feature '" + link.instanceName() + "') is not loaded");
                }
                Base feature = base(target, new HashSet<>());
                features.put(link.instanceName(), new FeatureModel(link.instanceName(), target, feature.model().title(),
                        feature.properties(), feature.actions()));
            }
            RawModel m = base.model();
            return new ThingModel(m.id(), m.title(), m.description(), base.properties(), features, base.actions(), m.source());
        }

        private Base base(String id, Set<String> visiting) {
            Base known = bases.get(id);
            if (known != null) {
                return known;
            }
            if (!visiting.add(id)) {
                throw new ModelFormatException("its tm:extends links form a cycle through '" + id + "'");
            }
            RawModel model = byId.get(id).model();
            Map<String, PropertyModel> properties = new LinkedHashMap<>();
            Map<String, ActionModel> actions = new LinkedHashMap<>();
            Map<String, RawModel.Submodel> submodels = new LinkedHashMap<>();
            for (String ref : model.extendsRefs()) {
                String target = lookup(ref);
                if (target == null) {
                    throw new ModelFormatException("the model it extends, '" + ref + "', is not loaded");
                }
                Base parent = base(target, visiting);
                properties.putAll(parent.properties());
                actions.putAll(parent.actions());
                parent.submodels().forEach(s -> submodels.put(s.instanceName(), s));
            }
            properties.putAll(model.properties());
            actions.putAll(model.actions());
            model.submodels().forEach(s -> submodels.put(s.instanceName(), s));
            Base base = new Base(model, properties, actions, new ArrayList<>(submodels.values()));
            bases.put(id, base);
            visiting.remove(id);
            return base;
        }

        private String lookup(String href) {
            if (byId.containsKey(href)) {
                return href;
            }
            String name = href;
            int cut = indexOfAny(name, '?', '#');
            if (cut >= 0) {
                name = name.substring(0, cut);
            }
            name = name.substring(name.lastIndexOf('/') + 1);
            return byFileName.get(name);
        }

        private static int indexOfAny(String s, char a, char b) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == a || c == b) {
                    return i;
                }
            }
            return -1;
        }
    }
}
