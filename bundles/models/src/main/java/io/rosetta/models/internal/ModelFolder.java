package io.rosetta.models.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code *.tm.jsonld} files of a folder as model sources of a {@link ModelStore}: all of them
 * at start, then one by one as they are added, changed and removed. Folder models have
 * {@link ModelStore#FOLDER} priority, so they override models of the same id shipped in bundles.
 */
final class ModelFolder {

    static final String SUFFIX = ".tm.jsonld";

    private static final Logger LOG = LoggerFactory.getLogger(ModelFolder.class);

    private final ModelStore store;
    private final Path dir;

    ModelFolder(ModelStore store, Path dir) {
        this.store = store;
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    static boolean isModelFile(Path file) {
        return file.getFileName() != null && file.getFileName().toString().endsWith(SUFFIX);
    }

    static String sourceOf(Path file) {
        return "file:" + file.toAbsolutePath().normalize();
    }

    /** Creates the folder when missing and loads every model file in it. */
    void loadAll() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            LOG.warn("The models folder {} cannot be created: {}", dir, e.toString());
            return;
        }
        List<ModelStore.ModelFile> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : stream) {
                try {
                    files.add(new ModelStore.ModelFile(sourceOf(file), file.getFileName().toString(), ModelStore.FOLDER,
                            Files.readAllBytes(file)));
                } catch (IOException e) {
                    store.unreadable(sourceOf(file), e);
                }
            }
        } catch (IOException e) {
            LOG.warn("The models folder {} cannot be listed: {}", dir, e.toString());
        }
        int loaded = store.load(files);
        LOG.info("Loaded {} of {} model files from {}", loaded, files.size(), dir);
    }

    /**
     * Loads (or reloads) one file; a malformed one is counted, logged and skipped. Returns whether
     * the file provides a model now.
     */
    boolean load(Path file) {
        String source = sourceOf(file);
        try {
            byte[] content = Files.readAllBytes(file);
            if (store.load(List.of(new ModelStore.ModelFile(source, file.getFileName().toString(), ModelStore.FOLDER, content))) > 0) {
                LOG.info("Loaded the model file {}", file);
            }
            return store.hasSource(source);
        } catch (IOException e) {
            store.unreadable(source, e);
            return false;
        }
    }

    /** Forgets the models of a removed file. */
    boolean remove(Path file) {
        boolean removed = store.removeSource(sourceOf(file));
        if (removed) {
            LOG.info("Removed the models of {}", file);
        }
        return removed;
    }
}
