package io.rosetta.models;

import java.util.Map;

/** What the model registry loaded, refused and could not resolve since it started. */
public interface ModelLoadStats {

    /** Models available now (resolved). */
    int modelCount();

    /** Model files read successfully since start (a file counts again each time its content changes). */
    long loadedFiles();

    /** Model files refused as malformed since start. */
    long malformedFiles();

    /** Models that are loaded but not available, by id, with the reason (e.g. a missing submodel). */
    Map<String, String> unresolvedModels();
}
