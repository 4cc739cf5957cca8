package io.rosetta.search.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/io.rosetta.search.cfg}. */
@ObjectClassDefinition(name = "Rosetta search", description = "The thing search index and its HTTP API")
public @interface SearchConfig {

    @AttributeDefinition(name = "Indexed paths", description = "How many paths get a value index at most (built when a query "
            + "first uses a path, the least recently used dropped first); 0 answers every query by scanning", min = "0")
    int index_max_paths() default 32;

    @AttributeDefinition(name = "Reconcile interval (ms)", description = "How often the index checks whether the registry dropped "
            + "events for it; if it did, every twin's revision is compared with the registry's", min = "100")
    long reconcile_interval_millis() default 1000;
}
