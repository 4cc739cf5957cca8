package io.rosetta.routes.internal;

import io.rosetta.routes.IntegratorRoutes.RouteFile;
import io.rosetta.routes.IntegratorRoutes.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel YAML DSL files ({@code *.yaml}) of the routes folder as routes of the Camel context: loaded when they come,
 * reloaded when they change, removed when they go. Each file's routes are told apart by the route builders its loading
 * produced, never by guessing from the context's routes (other bundles add routes at the same time).
 *
 * <p>A file that cannot be loaded — YAML that does not parse, an unknown component, a route that does not start, a route
 * id another file uses — is one error line and a count ({@link #failed()}); nothing of it stays half-added, and the other
 * files' routes keep running. When a file that ran is changed into a broken version, <b>its previous version is put back
 * and keeps running</b> (state {@link State#PREVIOUS_VERSION_RUNNING}) until the file is fixed or deleted, so that a typo
 * made while editing does not stop an integration. Calls are serialised.
 */
final class RouteFiles {

    static final String SUFFIX = ".yaml";
    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);
    private static final int MAX_ERROR_LENGTH = 600;

    /** A file's state: what runs (from which content) and what its last version gave. */
    private record Entry(State state, String runningContent, List<String> routeIds, String attemptedContent, String error, Instant changed) {
    }

    private final CamelContext camel;
    private final Path folder;
    private final Map<Path, Entry> files = new TreeMap<>();
    private long loaded;
    private long failed;
    private long removed;

    RouteFiles(CamelContext camel, Path folder) {
        this.camel = camel;
        this.folder = folder.toAbsolutePath().normalize();
    }

    Path folder() {
        return folder;
    }

    static boolean isRouteFile(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().endsWith(SUFFIX) && !name.toString().startsWith(".");
    }

    /** Creates the folder when missing and loads every route file in it. */
    synchronized void loadAll() {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            LOG.warn("The routes folder {} cannot be created: {}", folder, e.toString());
            return;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            stream.forEach(found::add);
        } catch (IOException e) {
            LOG.warn("The routes folder {} cannot be listed: {}", folder, e.toString());
        }
        found.stream().filter(RouteFiles::isRouteFile).sorted().forEach(this::load);
        LOG.info("Integrator routes: {} of {} route files in {} running", running(), found.size(), folder);
    }

    /**
     * Loads a new or changed file (the same content again changes nothing). Returns whether routes of it run now.
     */
    synchronized boolean load(Path path) {
        Path file = path.toAbsolutePath().normalize();
        Entry before = files.get(file);
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            failed++;
            String error = "cannot be read: " + e;
            LOG.error("Route file {} {}", file, error);
            files.put(file, before == null ? new Entry(State.FAILED, null, List.of(), null, error, Instant.now())
                    : new Entry(before.runningContent() == null ? State.FAILED : State.PREVIOUS_VERSION_RUNNING, before.runningContent(),
                            before.routeIds(), before.attemptedContent(), error, Instant.now()));
            return before != null && !before.routeIds().isEmpty();
        }
        if (before != null && content.equals(before.attemptedContent())) {
            return before.state() != State.FAILED;
        }
        if (before != null) {
            removeRoutes(before.routeIds());
        }
        try {
            List<String> ids = add(file, content);
            loaded++;
            files.put(file, new Entry(State.RUNNING, content, ids, content, null, Instant.now()));
            LOG.info("Route file {} {}: routes {}", file, before == null ? "loaded" : "reloaded", ids);
            return true;
        } catch (Exception | LinkageError e) {
            failed++;
            String error = describe(e);
            String previous = before == null ? null : before.runningContent();
            if (previous != null) {
                try {
                    List<String> ids = add(file, previous);
                    files.put(file, new Entry(State.PREVIOUS_VERSION_RUNNING, previous, ids, content, error, Instant.now()));
                    LOG.error("Route file {} is broken, its previous version keeps running (routes {}): {}", file, ids, error);
                    return true;
                } catch (Exception | LinkageError again) {
                    LOG.error("Route file {} is broken: {}; its previous version could not be put back either: {}", file, error, describe(again));
                }
            } else if (waitsForFilters(e)) {
                LOG.warn("Route file {} waits, none of its routes run: {}", file, error);
            } else {
                LOG.error("Route file {} is broken, none of its routes run: {}", file, error);
            }
            files.put(file, new Entry(State.FAILED, null, List.of(), content, error, Instant.now()));
            return false;
        }
    }

    /** Removes the routes of a deleted file. Returns whether the file was known. */
    synchronized boolean remove(Path path) {
        Path file = path.toAbsolutePath().normalize();
        Entry entry = files.remove(file);
        if (entry == null) {
            return false;
        }
        removeRoutes(entry.routeIds());
        removed++;
        LOG.info("Route file {} deleted: routes {} removed", file, entry.routeIds());
        return true;
    }

    /** Loads again the files whose last version failed (something they need may have come since). */
    synchronized void retryFailed() {
        for (var e : new ArrayList<>(files.entrySet())) {
            if (e.getValue().state() != State.RUNNING && Files.exists(e.getKey())) {
                Entry entry = e.getValue();
                // forget the failed attempt, so that the same content is tried again
                files.put(e.getKey(), new Entry(entry.state(), entry.runningContent(), entry.routeIds(), null, entry.error(), entry.changed()));
                load(e.getKey());
            }
        }
    }

    /** Removes every file's routes (the files stay). */
    synchronized void close() {
        for (Entry e : files.values()) {
            removeRoutes(e.routeIds());
        }
        files.clear();
    }

    synchronized List<RouteFile> files() {
        List<RouteFile> list = new ArrayList<>();
        files.forEach((file, e) -> list.add(new RouteFile(file, e.state(), e.routeIds(), e.error(), e.changed())));
        return list;
    }

    synchronized long loaded() {
        return loaded;
    }

    synchronized long failed() {
        return failed;
    }

    synchronized long removed() {
        return removed;
    }

    private long running() {
        return files.values().stream().filter(e -> e.state() != State.FAILED).count();
    }

    /** Loads the content as Camel YAML DSL and adds its routes; on failure nothing of it stays. Returns the route ids. */
    private List<String> add(Path file, String content) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + file, content);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ClassLoader camelLoader = camel.getApplicationContextClassLoader();
        if (camelLoader != null) {
            // the YAML DSL finds its parts through Camel's resources
            thread.setContextClassLoader(camelLoader);
        }
        Set<String> before = routeIds();
        Collection<RoutesBuilder> builders = List.of();
        try {
            builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource));
            refuseTakenIds(file, builders, before);
            Set<String> ids = new LinkedHashSet<>();
            for (RoutesBuilder builder : builders) {
                camel.addRoutes(builder);
                ids.addAll(idsOf(builder, before));
            }
            return List.copyOf(ids);
        } catch (Exception | LinkageError e) {
            Set<String> partial = new LinkedHashSet<>();
            for (RoutesBuilder builder : builders) {
                partial.addAll(idsOf(builder, before));
            }
            removeRoutes(partial);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Camel replaces a route when another one with its id is added: a file must never take over a route of another file
     * or of Rosetta's own APIs. Configures the builders (once; adding them later does not configure them again) and
     * refuses the file when one of its route ids is taken.
     */
    private void refuseTakenIds(Path file, Collection<RoutesBuilder> builders, Set<String> taken) throws Exception {
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder rb) {
                for (RouteDefinition d : rb.configureRoutes(camel).getRoutes()) {
                    String id = d.getId();
                    if (id != null && taken.contains(id)) {
                        Path owner = files.entrySet().stream().filter(e -> e.getValue().routeIds().contains(id)).map(Map.Entry::getKey)
                                .findFirst().orElse(null);
                        throw new IllegalArgumentException("the route id '" + id + "' is taken by "
                                + (owner == null ? "a route of Rosetta or of another bundle" : "the route file " + owner.getFileName())
                                + ": give the route another id");
                    }
                }
            }
        }
    }

    /** The routes a builder defined that were not there before. */
    private static Set<String> idsOf(RoutesBuilder builder, Set<String> before) {
        Set<String> ids = new LinkedHashSet<>();
        if (builder instanceof RouteBuilder rb) {
            for (RouteDefinition d : rb.getRouteCollection().getRoutes()) {
                String id = d.getRouteId();
                if (id != null && !before.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (Route r : camel.getRoutes()) {
            ids.add(r.getRouteId());
        }
        return ids;
    }

    private void removeRoutes(Collection<String> ids) {
        for (String id : ids) {
            try {
                if (camel.getRoute(id) != null) {
                    camel.getRouteController().stopRoute(id, 10, TimeUnit.SECONDS);
                    camel.removeRoute(id);
                }
                Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
                RouteDefinition definition = model == null ? null : model.getRouteDefinition(id);
                if (definition != null) {
                    model.removeRouteDefinition(definition);
                }
            } catch (Exception e) {
                LOG.warn("Route '{}' could not be removed: {}", id, e.toString());
            }
        }
    }

    private static boolean waitsForFilters(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof FilterServiceMissingException) {
                return true;
            }
        }
        return false;
    }

    /** The exception's messages in one line, each only once. */
    static String describe(Throwable e) {
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable c = e; c != null && messages.size() < 6; c = c.getCause()) {
            String m = (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()).replaceAll("\\s+", " ").strip();
            boolean covered = messages.stream().anyMatch(seen -> seen.contains(m));
            if (!covered) {
                messages.add(m);
            }
        }
        String text = String.join(": ", messages);
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) + "…" : text;
    }
}
