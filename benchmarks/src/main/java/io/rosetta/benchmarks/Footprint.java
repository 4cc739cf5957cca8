package io.rosetta.benchmarks;

import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.model.Thing;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.ditto.things.model.ThingsModelFactory;

/**
 * Resident bytes per twin: parses N twins (3 features × 3 properties) from the same JSON text and
 * keeps them, measuring the heap after GC before and after. {@code rosetta} stores them in the
 * registry (its map included); {@code ditto} keeps Eclipse Ditto 3.8.0 {@code Thing}s in a
 * {@link ConcurrentHashMap}, the cheapest store they could have.
 *
 * <pre>java -Xmx2g -cp benchmarks/target/benchmarks.jar io.rosetta.benchmarks.Footprint rosetta 100000</pre>
 */
public final class Footprint {

    private Footprint() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "rosetta";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(Fixtures.twin(i).toJson().toString());
        }
        Object keep;
        long before;
        long start;
        if (mode.equals("ditto")) {
            Map<String, org.eclipse.ditto.things.model.Thing> map = new ConcurrentHashMap<>();
            org.eclipse.ditto.things.model.Thing warm = ThingsModelFactory.newThing(texts.get(0));
            before = usedAfterGc();
            start = System.nanoTime();
            for (String t : texts) {
                org.eclipse.ditto.things.model.Thing thing = ThingsModelFactory.newThing(t);
                map.put(thing.getEntityId().orElseThrow().toString(), thing);
            }
            keep = map;
            if (warm == null) {
                throw new IllegalStateException();
            }
        } else {
            TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
            before = usedAfterGc();
            start = System.nanoTime();
            for (String t : texts) {
                registry.create(Thing.fromJson(Json.parseObject(t), null));
            }
            keep = registry;
        }
        long elapsed = System.nanoTime() - start;
        long after = usedAfterGc();
        System.out.printf("%s: %d twins, %.0f bytes per twin resident, %.2f µs per twin to parse and store%n", mode, count,
                (after - before) / (double) count, elapsed / 1000.0 / count);
        if (keep.hashCode() == 42) {
            System.out.println();
        }
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
