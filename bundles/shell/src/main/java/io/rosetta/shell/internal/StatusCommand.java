package io.rosetta.shell.internal;

import io.rosetta.core.binding.BindingStatistics;
import io.rosetta.core.binding.BindingStats;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ConnectivityStatus;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.core.model.Thing;
import io.rosetta.core.registry.RegistryStats;
import io.rosetta.core.registry.TwinRegistry;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.devices.DeviceStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code rosetta:status [--window 1s] [--json]}: the fleet at a glance. Twins by connectivity status and lifecycle state
 * (their {@code _connectivity} and {@code _lifecycle}), twins and registered devices by binding, message rates and
 * rejects. The rates are measured, not estimated: the registry's, the bindings' and the device registry's counters are
 * read twice, {@code --window} apart, and their differences divided by the time between the two readings.
 */
@Service
@Command(scope = "rosetta", name = "status", description = "Fleet summary: twins by status, lifecycle state and binding, message rates, rejects",
        detailedDescription = "rosetta:status [--window 1s|500ms|0] [--json]\n"
                + "Rates come from counters read twice, --window apart (0: no rates, the counters since start only): twin writes "
                + "(every accepted change), events published to subscribers and dropped for slow ones, writes refused, and per "
                + "binding the state reports accepted and refused.")
public class StatusCommand implements Action {

    static final long MAX_WINDOW_MILLIS = 60_000;
    static final String NO_BINDING = "(none)";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s)?");

    @Option(name = "--window", aliases = "-w", description = "How long to measure the rates: 1s (default), 500ms, 5s; 0 shows no rates")
    String window = "1s";

    @Option(name = "--json", description = "Print a JSON object for scripts instead of tables")
    boolean json;

    @Reference
    TwinRegistry registry;

    @Reference(optional = true)
    BindingStatistics bindings;

    @Reference(optional = true)
    DeviceRegistry devices;

    PrintStream out = System.out;

    /** The counters at one moment. {@code devices} is {@code null} without a device registry. */
    record Sample(long nanos, RegistryStats registry, List<BindingStats> bindings, DeviceStats devices) {
    }

    /**
     * What the twins and devices are now: twins by connectivity ({@code ONLINE}, {@code OFFLINE/BINDING_MISSING}, ..) and
     * lifecycle state, devices that are not decommissioned by binding.
     */
    record Counts(int twins, Map<String, Integer> byStatus, Map<LifecycleState, Integer> byLifecycle, Map<String, Integer> devicesByBinding) {
    }

    @Override
    public Object execute() throws Exception {
        long windowMillis = windowMillis(window);
        Sample first = sample();
        long start = System.nanoTime();
        Counts counts = counts();
        Sample last = first;
        if (windowMillis > 0) {
            long left = TimeUnit.MILLISECONDS.toNanos(windowMillis) - (System.nanoTime() - start);
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("Interrupted while measuring the rates.");
            }
            last = sample();
        }
        if (json) {
            out.println(Json.writePretty(report(counts, first, last)));
        } else {
            print(counts, first, last, out);
        }
        return null;
    }

    static long windowMillis(String text) throws CommandException {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        long millis = -1;
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                millis = "ms".equals(m.group(2)) ? n : Math.multiplyExact(n, 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                millis = -1;
            }
        }
        if (millis < 0 || millis > MAX_WINDOW_MILLIS) {
            throw new CommandException("Invalid --window '" + text + "': a duration such as 1s or 500ms, at most 60s; 0 for no rates.");
        }
        return millis;
    }

    Sample sample() {
        return new Sample(System.nanoTime(), registry.stats(), bindings == null ? List.of() : bindings.bindingStats(),
                devices == null ? null : devices.stats());
    }

    Counts counts() {
        Map<ConnectivityStatus, Integer> status = new TreeMap<>(Comparator.comparing((ConnectivityStatus c) -> c.status().ordinal())
                .thenComparing(c -> c.detail().ordinal()));
        Map<LifecycleState, Integer> lifecycle = new EnumMap<>(LifecycleState.class);
        for (LifecycleState s : LifecycleState.values()) {
            lifecycle.put(s, 0);
        }
        int twins = 0;
        for (Thing t : registry.things()) {
            twins++;
            status.merge(ConnectivityStatus.of(t.connectivity().status(), t.connectivity().detail()), 1, Integer::sum);
            lifecycle.merge(t.lifecycle(), 1, Integer::sum);
        }
        Map<String, Integer> byStatus = new java.util.LinkedHashMap<>();
        status.forEach((k, v) -> byStatus.put(k.toString(), v));
        Map<String, Integer> byBinding = new TreeMap<>();
        if (devices != null) {
            for (Device d : devices.devices()) {
                if (d.state() != LifecycleState.DECOMMISSIONED) {
                    byBinding.merge(d.binding() == null ? NO_BINDING : d.binding(), 1, Integer::sum);
                }
            }
        }
        return new Counts(twins, byStatus, lifecycle, byBinding);
    }

    /** Per second between two readings, to a tenth. */
    static double rate(long before, long after, double seconds) {
        return seconds <= 0 ? 0 : Math.round((after - before) / seconds * 10) / 10.0;
    }

    static double seconds(Sample first, Sample last) {
        return (last.nanos() - first.nanos()) / 1e9;
    }

    private static BindingStats before(Sample first, String bindingId) {
        for (BindingStats s : first.bindings()) {
            if (s.bindingId().equals(bindingId)) {
                return s;
            }
        }
        return new BindingStats(bindingId, false, 0, 0, 0, 0, Map.of(), 0, 0, 0);
    }

    /** The bindings shown: those the core counts and those registered devices name. */
    private static TreeSet<String> bindingIds(Counts counts, Sample last) {
        TreeSet<String> ids = new TreeSet<>(counts.devicesByBinding().keySet());
        ids.remove(NO_BINDING);
        last.bindings().forEach(s -> ids.add(s.bindingId()));
        return ids;
    }

    private static BindingStats stats(Sample last, String bindingId) {
        for (BindingStats s : last.bindings()) {
            if (s.bindingId().equals(bindingId)) {
                return s;
            }
        }
        return null;
    }

    private static int attached(Sample last) {
        return last.bindings().stream().mapToInt(BindingStats::devices).sum();
    }

    /** Everything as one JSON object; without a window ({@code first == last}) there are no rates. */
    static JsonObject report(Counts counts, Sample first, Sample last) {
        double seconds = seconds(first, last);
        boolean rates = last != first;
        JsonObject.Builder twins = JsonObject.newBuilder().set("total", counts.twins()).set("byStatus", numbers(counts.byStatus()));
        JsonObject.Builder lifecycle = JsonObject.newBuilder();
        counts.byLifecycle().forEach((k, v) -> lifecycle.set(k.name(), v));
        twins.set("byLifecycle", lifecycle.build());
        JsonObject.Builder twinsByBinding = JsonObject.newBuilder();
        List<JsonValue> bindingRows = new ArrayList<>();
        for (String id : bindingIds(counts, last)) {
            BindingStats s = stats(last, id);
            int registered = counts.devicesByBinding().getOrDefault(id, 0);
            twinsByBinding.set(id, s == null ? 0 : s.devices());
            JsonObject.Builder row = JsonObject.newBuilder().set("bindingId", id).set("available", s != null && s.available())
                    .set("twins", s == null ? 0 : s.devices()).set("handlers", s == null ? 0 : s.handlers());
            if (last.devices() != null) {
                row.set("devices", registered);
            }
            if (s != null) {
                row.set("reports", s.reports()).set("refused", s.refused()).set("refusedByReason", numbers(s.refusedByReason()))
                        .set("desiredForwarded", s.desiredForwarded()).set("desiredDropped", s.desiredDropped())
                        .set("handlerFailures", s.handlerFailures());
                if (rates) {
                    BindingStats b = before(first, id);
                    row.set("reportsPerSecond", rate(b.reports(), s.reports(), seconds)).set("refusedPerSecond", rate(b.refused(), s.refused(), seconds));
                }
            }
            bindingRows.add(row.build());
        }
        twinsByBinding.set(NO_BINDING, Math.max(0, counts.twins() - attached(last)));
        twins.set("byBinding", twinsByBinding.build());

        RegistryStats r = last.registry();
        JsonObject.Builder out = JsonObject.newBuilder().set("twins", twins.build());
        DeviceStats d = last.devices();
        if (d != null) {
            JsonObject.Builder byState = JsonObject.newBuilder();
            for (LifecycleState s : LifecycleState.values()) {
                byState.set(s.name(), d.byState().getOrDefault(s, 0));
            }
            out.set("devices", JsonObject.newBuilder().set("total", d.devices()).set("byState", byState.build())
                    .set("byBinding", numbers(counts.devicesByBinding())).set("refused", numbers(d.refused()))
                    .set("authAccepted", d.authAccepted()).set("authRefused", numbers(d.authRefused())).build());
        }
        out.set("bindings", JsonArray.of(bindingRows));
        out.set("registry", JsonObject.newBuilder().set("writes", r.writes()).set("refused", r.refused()).set("modelViolations", r.modelViolations())
                .set("eventsPublished", r.eventsPublished()).set("eventsDropped", r.eventsDropped()).set("subscribers", r.subscribers()).build());
        if (rates) {
            RegistryStats f = first.registry();
            long reportsBefore = first.bindings().stream().mapToLong(BindingStats::reports).sum();
            long reportsAfter = last.bindings().stream().mapToLong(BindingStats::reports).sum();
            out.set("rates", JsonObject.newBuilder().set("windowMillis", Math.round(seconds * 1000))
                    .set("writesPerSecond", rate(f.writes(), r.writes(), seconds))
                    .set("eventsPublishedPerSecond", rate(f.eventsPublished(), r.eventsPublished(), seconds))
                    .set("eventsDroppedPerSecond", rate(f.eventsDropped(), r.eventsDropped(), seconds))
                    .set("refusedPerSecond", rate(f.refused(), r.refused(), seconds))
                    .set("reportsPerSecond", rate(reportsBefore, reportsAfter, seconds)).build());
        }
        return out.build();
    }

    private static JsonObject numbers(Map<String, ? extends Number> map) {
        JsonObject.Builder b = JsonObject.newBuilder();
        new TreeMap<>(map).forEach((k, v) -> b.set(k, v.longValue()));
        return b.build();
    }

    static void print(Counts counts, Sample first, Sample last, PrintStream out) {
        double seconds = seconds(first, last);
        boolean rates = last != first;
        out.println("Twins: " + counts.twins());
        ShellTable status = new ShellTable().emptyTableText("No twins.");
        status.column("Status");
        status.column("Twins").alignRight();
        counts.byStatus().forEach((k, v) -> status.addRow().addContent(k, v));
        status.print(out);
        out.println();

        DeviceStats d = last.devices();
        ShellTable lifecycle = new ShellTable();
        lifecycle.column("Lifecycle");
        lifecycle.column("Twins").alignRight();
        if (d != null) {
            lifecycle.column("Devices").alignRight();
        }
        counts.byLifecycle().forEach((k, v) -> {
            if (d != null) {
                lifecycle.addRow().addContent(k.name(), v, d.byState().getOrDefault(k, 0));
            } else {
                lifecycle.addRow().addContent(k.name(), v);
            }
        });
        lifecycle.print(out);
        out.println();

        ShellTable table = new ShellTable();
        table.column("Binding");
        table.column("State");
        table.column("Twins").alignRight();
        if (d != null) {
            table.column("Devices").alignRight();
        }
        table.column("Reports").alignRight();
        table.column("Reports/s").alignRight();
        table.column("Refused").alignRight();
        table.column("Refused/s").alignRight();
        table.column("Refused by reason").maxSize(60);
        table.column("Desired dropped").alignRight();
        for (String id : bindingIds(counts, last)) {
            BindingStats s = stats(last, id);
            List<Object> row = new ArrayList<>(List.of(id));
            if (s == null) {
                row.addAll(List.of("no twin attached", 0));
                if (d != null) {
                    row.add(counts.devicesByBinding().getOrDefault(id, 0));
                }
                row.addAll(List.of("-", "-", "-", "-", "", "-"));
            } else {
                BindingStats b = before(first, id);
                row.addAll(List.of(s.available() ? "installed" : "missing", s.devices()));
                if (d != null) {
                    row.add(counts.devicesByBinding().getOrDefault(id, 0));
                }
                row.addAll(List.of(s.reports(), rates ? rate(b.reports(), s.reports(), seconds) : "-", s.refused(),
                        rates ? rate(b.refused(), s.refused(), seconds) : "-", BindingsCommand.reasons(new TreeMap<>(s.refusedByReason())),
                        s.desiredDropped()));
            }
            table.addRow().addContent(row);
        }
        List<Object> none = new ArrayList<>(List.of(NO_BINDING, "", Math.max(0, counts.twins() - attached(last))));
        if (d != null) {
            none.add(counts.devicesByBinding().getOrDefault(NO_BINDING, 0));
        }
        none.addAll(List.of("", "", "", "", "", ""));
        table.addRow().addContent(none);
        table.print(out);
        out.println();

        RegistryStats r = last.registry();
        if (rates) {
            RegistryStats f = first.registry();
            long reportsBefore = first.bindings().stream().mapToLong(BindingStats::reports).sum();
            long reportsAfter = last.bindings().stream().mapToLong(BindingStats::reports).sum();
            out.println(String.format(Locale.ROOT, "Rates over %.2f s: %.1f twin writes/s, %.1f binding reports/s, %.1f events published/s, "
                            + "%.1f events dropped/s, %.1f writes refused/s.", seconds, rate(f.writes(), r.writes(), seconds),
                    rate(reportsBefore, reportsAfter, seconds), rate(f.eventsPublished(), r.eventsPublished(), seconds),
                    rate(f.eventsDropped(), r.eventsDropped(), seconds), rate(f.refused(), r.refused(), seconds)));
        }
        long bindingRefused = last.bindings().stream().mapToLong(BindingStats::refused).sum();
        StringBuilder rejects = new StringBuilder("Refused since start: twin writes " + r.refused() + " (model violations "
                + r.modelViolations() + "), binding reports " + bindingRefused);
        if (d != null) {
            long deviceRefused = d.refused().values().stream().mapToLong(Long::longValue).sum();
            long authRefused = d.authRefused().values().stream().mapToLong(Long::longValue).sum();
            rejects.append(", device registry ").append(deviceRefused);
            if (deviceRefused > 0) {
                rejects.append(" (").append(BindingsCommand.reasons(new TreeMap<>(d.refused()))).append(')');
            }
            rejects.append(", authentications ").append(authRefused);
            if (authRefused > 0) {
                rejects.append(" (").append(BindingsCommand.reasons(new TreeMap<>(d.authRefused()))).append(')');
            }
            rejects.append(" of ").append(authRefused + d.authAccepted());
        }
        out.println(rejects.append('.'));
        long desiredDropped = last.bindings().stream().mapToLong(BindingStats::desiredDropped).sum();
        out.println("Events dropped since start: " + r.eventsDropped() + " (for subscribers too slow to take them; " + r.eventsPublished()
                + " published, subscribers now: " + r.subscribers() + "); desired-state changes dropped: " + desiredDropped + ".");
    }
}
