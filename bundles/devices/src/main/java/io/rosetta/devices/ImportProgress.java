package io.rosetta.devices;

/**
 * Told how far an import has come: after the file is read ({@code processed = 0}), then every few hundred rows and
 * at the end ({@code processed == total}). Called on the importing thread; must return quickly.
 */
@FunctionalInterface
public interface ImportProgress {

    ImportProgress NONE = (processed, total, rejected) -> {
    };

    void progress(int processed, int total, int rejected);
}
