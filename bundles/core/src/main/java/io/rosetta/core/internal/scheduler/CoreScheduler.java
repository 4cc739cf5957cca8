package io.rosetta.core.internal.scheduler;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's one shared scheduler: a bounded pool of named daemon threads that bindings,
 * handlers and the core use instead of threads of their own. Consumers may not shut it down; it
 * stops when the component deactivates. Consumers pick it with the target
 * {@code (component.name=io.rosetta.core.scheduler)}.
 */
@Component(name = CoreScheduler.PID, configurationPid = CoreScheduler.PID, service = ScheduledExecutorService.class,
        property = "rosetta.scheduler=core")
@Designate(ocd = CoreScheduler.Config.class)
public final class CoreScheduler implements ScheduledExecutorService {

    public static final String PID = "io.rosetta.core.scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(CoreScheduler.class);

    @ObjectClassDefinition(name = "Rosetta scheduler", description = "The shared scheduler of the Rosetta core")
    public @interface Config {
        @AttributeDefinition(description = "Threads; 0 = one per available processor, at least 2")
        int threads() default 0;

        @AttributeDefinition(description = "Tasks that may wait before new ones are refused")
        int maxQueued() default 100_000;

        @AttributeDefinition(description = "Name prefix of the scheduler's threads")
        String threadNamePrefix() default "rosetta-scheduler";

        @AttributeDefinition(description = "Seconds to wait for running tasks when the scheduler stops")
        int shutdownTimeoutSeconds() default 5;
    }

    private final BoundedScheduledExecutor executor;
    private final int shutdownTimeoutSeconds;

    @Activate
    public CoreScheduler(Config config) {
        this(threads(config.threads()), config.maxQueued(), config.threadNamePrefix(), config.shutdownTimeoutSeconds());
    }

    CoreScheduler(int threads, int maxQueued, String threadNamePrefix, int shutdownTimeoutSeconds) {
        this.executor = new BoundedScheduledExecutor(threads, maxQueued, threadNamePrefix);
        this.shutdownTimeoutSeconds = Math.max(0, shutdownTimeoutSeconds);
        LOG.info("Scheduler started with {} threads, at most {} waiting tasks", threads, maxQueued);
    }

    static int threads(int configured) {
        if (configured > 0) {
            return configured;
        }
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(shutdownTimeoutSeconds, TimeUnit.SECONDS)) {
                LOG.warn("Scheduler tasks still running {} s after the stop; leaving them", shutdownTimeoutSeconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Scheduler stopped ({} tasks refused, {} failed while it ran)", executor.rejected(), executor.failures());
    }

    /** Tasks refused because the queue was full. */
    public long rejected() {
        return executor.rejected();
    }

    /** Tasks that threw. */
    public long failures() {
        return executor.failures();
    }

    public int poolSize() {
        return executor.getCorePoolSize();
    }

    public int queued() {
        return executor.getQueue().size();
    }

    // ----- ScheduledExecutorService, delegated; the lifecycle belongs to the component

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return executor.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return executor.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return executor.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return executor.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return executor.submit(task, result);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return executor.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return executor.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return executor.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return executor.invokeAny(tasks, timeout, unit);
    }

    /** Refused: the scheduler is shared and stops with the core. */
    @Override
    public void shutdown() {
        throw new UnsupportedOperationException("The Rosetta scheduler is shared; it stops with the core");
    }

    /** Refused: the scheduler is shared and stops with the core. */
    @Override
    public List<Runnable> shutdownNow() {
        throw new UnsupportedOperationException("The Rosetta scheduler is shared; it stops with the core");
    }

    @Override
    public boolean isShutdown() {
        return executor.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return executor.awaitTermination(timeout, unit);
    }
}
