package io.rosetta.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rosetta.core.binding.Device;
import io.rosetta.core.inbox.Discovery;
import io.rosetta.core.inbox.InboxEntry;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.inbox.InboxImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.json.Json;
import io.rosetta.core.json.JsonArray;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.json.JsonValue;
import io.rosetta.core.model.ThingId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** rosetta:inbox, rosetta:approve and rosetta:reject against the real inbox, device manager and registry. */
class InboxCommandsTest {

    private static final String MODEL = "rosetta:temperature-humidity-sensor:1.0.0";

    private final TwinRegistryImpl registry = TwinRegistryImpl.inMemory();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    private InboxImpl inbox;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        DeviceManagerImpl devices = new DeviceManagerImpl(registry, scheduler, new DeviceManagerImpl.Config() {
            @Override
            public int deviceQueueCapacity() {
                return 16;
            }

            @Override
            public int logIntervalSeconds() {
                return 30;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return DeviceManagerImpl.Config.class;
            }
        });
        inbox = new InboxImpl(devices, registry, null, null, Clock.systemUTC(), 100, 100, 0);
        discover("mqtt:spb-plant:edge-1:th-1", "sparkplug");
        discover("mqtt:z2m-office", "zigbee2mqtt");
        discover("mqtt:ha-esp32", "homeassistant");
    }

    @AfterEach
    void tearDown() {
        registry.close();
        scheduler.shutdownNow();
    }

    private void discover(String id, String dialect) {
        inbox.discovered(new Discovery(new Device(ThingId.of(id), "mqtt", MODEL, JsonObject.of("broker", JsonValue.of("local"))), dialect,
                "local", JsonObject.of("vendor", JsonValue.of("Acme")), false));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private InboxCommand list() {
        InboxCommand c = new InboxCommand();
        c.inbox = inbox;
        c.out = out;
        return c;
    }

    private ApproveCommand approve(String... ids) {
        ApproveCommand c = new ApproveCommand();
        c.inbox = inbox;
        c.out = out;
        c.thingIds = List.of(ids);
        return c;
    }

    private RejectCommand reject(String... ids) {
        RejectCommand c = new RejectCommand();
        c.inbox = inbox;
        c.out = out;
        c.thingIds = List.of(ids);
        return c;
    }

    @Test
    void inboxPrintsTheEntriesAsATable() throws Exception {
        list().execute();

        List<String> lines = output().lines().toList();
        assertThat(lines.get(0)).contains("Thing ID", "Status", "Dialect", "Source", "Model", "Last seen", "Decided by");
        assertThat(lines).hasSize(2 + 3);
        assertThat(lines.get(2)).startsWith("mqtt:ha-esp32").contains("PENDING", "homeassistant", "local", MODEL);
        assertThat(lines.get(3)).startsWith("mqtt:spb-plant:edge-1:th-1").contains("sparkplug");
    }

    @Test
    void approveCreatesTheTwinAndRejectSuppressesTheDevice() throws Exception {
        approve("mqtt:z2m-office").execute();
        reject("mqtt:ha-esp32").execute();

        assertThat(output()).contains("Approved mqtt:z2m-office: its twin follows " + MODEL + ".", "Rejected mqtt:ha-esp32");
        assertThat(registry.retrieve(ThingId.of("mqtt:z2m-office")).orElseThrow().definition()).contains(MODEL);
        InboxEntry approved = inbox.entry(ThingId.of("mqtt:z2m-office")).orElseThrow();
        assertThat(approved.decidedBy()).isEqualTo(InboxDecision.SHELL);
        assertThat(inbox.entry(ThingId.of("mqtt:ha-esp32")).orElseThrow().status()).isEqualTo(InboxEntry.Status.REJECTED);

        bytes.reset();
        InboxCommand pending = list();
        pending.status = "pending";
        pending.execute();
        assertThat(output().lines().skip(2).toList()).singleElement().asString().startsWith("mqtt:spb-plant:edge-1:th-1");
    }

    @Test
    void jsonForScripts() throws Exception {
        InboxCommand c = list();
        c.json = true;
        c.execute();
        JsonArray all = Json.parse(output()).asArray();
        assertThat(all).hasSize(3);
        assertThat(all.get(0).asObject().getOrNull("thingId")).isEqualTo(JsonValue.of("mqtt:ha-esp32"));

        bytes.reset();
        ApproveCommand a = approve("mqtt:ha-esp32", "mqtt:z2m-office");
        a.json = true;
        a.execute();
        JsonArray approved = Json.parse(output()).asArray();
        assertThat(approved).extracting(v -> v.asObject().getOrNull("status")).containsOnly(JsonValue.of("APPROVED"));
    }

    @Test
    void removeLiftsARejectionAndErrorsNameTheProblem() throws Exception {
        reject("mqtt:ha-esp32").execute();
        InboxCommand remove = list();
        remove.remove = "mqtt:ha-esp32";
        remove.execute();
        assertThat(inbox.entry(ThingId.of("mqtt:ha-esp32"))).isEmpty();
        assertThat(output()).contains("Removed the inbox entry of mqtt:ha-esp32.");

        assertThatThrownBy(remove::execute).isInstanceOf(CommandException.class).hasMessageContaining("no entry for 'mqtt:ha-esp32'");
        // every id is tried; the unknown and the malformed one are reported together
        assertThatThrownBy(() -> approve("mqtt:nothing", "no-namespace", "mqtt:z2m-office").execute()).isInstanceOf(CommandException.class)
                .hasMessageContaining("mqtt:nothing").hasMessageContaining("no-namespace");
        assertThat(inbox.entry(ThingId.of("mqtt:z2m-office")).orElseThrow().status()).isEqualTo(InboxEntry.Status.APPROVED);
        InboxCommand bad = list();
        bad.status = "maybe";
        assertThatThrownBy(bad::execute).isInstanceOf(CommandException.class).hasMessageContaining("PENDING, APPROVED or REJECTED");
    }

    @Test
    void completesInboxIds() {
        assertThat(InboxIdCompleter.candidates(inbox.entries(), "mqtt:spb")).containsExactly("mqtt:spb-plant:edge-1:th-1");
        assertThat(InboxIdCompleter.candidates(inbox.entries(), "")).hasSize(3);
    }
}
