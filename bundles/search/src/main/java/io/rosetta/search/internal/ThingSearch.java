package io.rosetta.search.internal;

import io.rosetta.core.registry.TwinRegistry;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search over the registry's twins: a {@link SearchIndex} that an {@link IndexFeeder} keeps
 * equal to the registry, and a periodic check (on the core scheduler) for events the registry
 * dropped. Loading is memory only (twins are resident in the registry); path indexes are built
 * when queries first use them.
 */
@Component(service = ThingSearch.class, configurationPid = "io.rosetta.search")
@Designate(ocd = SearchConfig.class)
public final class ThingSearch {

    private static final Logger LOG = LoggerFactory.getLogger(ThingSearch.class);

    private final SearchIndex index;
    private final IndexFeeder feeder;
    private final ScheduledFuture<?> reconciler;

    @Activate
    public ThingSearch(@Reference TwinRegistry registry, @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler,
            SearchConfig config) {
        this(registry, scheduler, config.index_max_paths(), config.reconcile_interval_millis());
    }

    ThingSearch(TwinRegistry registry, ScheduledExecutorService scheduler, int maxIndexes, long reconcileMillis) {
        long start = System.nanoTime();
        this.index = new SearchIndex(maxIndexes);
        this.feeder = new IndexFeeder(registry, index, scheduler);
        feeder.start();
        long interval = Math.max(100, reconcileMillis);
        this.reconciler = scheduler.scheduleWithFixedDelay(this::reconcile, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("Search index follows {} twins (loaded in {} ms)", index.size(), (System.nanoTime() - start) / 1_000_000);
    }

    private void reconcile() {
        try {
            feeder.reconcileIfDropped();
        } catch (RuntimeException e) {
            LOG.warn("Reconciling the search index with the registry failed; trying again at the next interval", e);
        }
    }

    @Deactivate
    public void close() {
        reconciler.cancel(false);
        feeder.close();
    }

    SearchIndex.Page search(Filter filter, SearchOptions options, List<ValueKey> after) {
        return index.search(filter, options, after);
    }

    long count(Filter filter) {
        return index.count(filter);
    }

    SearchIndex index() {
        return index;
    }

    IndexFeeder feeder() {
        return feeder;
    }
}
