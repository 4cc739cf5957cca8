package io.rosetta.benchmarks.coap;

import io.rosetta.binding.coap.internal.CoapHandlerFactory;
import io.rosetta.binding.coap.internal.CoapRuntime;
import io.rosetta.binding.coap.internal.CoapServerComponent;
import io.rosetta.binding.coap.internal.dtls.DtlsConnectors;
import io.rosetta.core.internal.binding.DeviceManagerImpl;
import io.rosetta.core.internal.registry.TwinRegistryImpl;
import io.rosetta.core.internal.journal.Journal;
import io.rosetta.models.ModelRegistry;
import io.rosetta.models.internal.ClassPathModels;
import io.rosetta.models.internal.ModelValidator;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;

/** The two servers under load: the CoAP binding on the real core, and a bare Californium server that only acknowledges. */
final class Servers {

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private Servers() {
    }

    /** A server under test: its UDP address, and what it did. */
    interface Server extends AutoCloseable {
        InetSocketAddress address();

        String name();

        @Override
        void close();
    }

    /** A scheduler as the core's: as many daemon threads as processors, at least 2. */
    static ScheduledThreadPoolExecutor scheduler(String name) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * The CoAP binding as Karaf runs it: the twin registry with its journal ({@code INTERVAL}, the default) and the
     * model validator, the device manager, the binding's runtime, handler factory and server, on the core's scheduler.
     * Plain CoAP, or DTLS with pre-shared keys.
     */
    static final class Rosetta implements Server {
        final ModelRegistry models = ClassPathModels.registry(Rosetta.class.getClassLoader());
        final ScheduledThreadPoolExecutor scheduler = scheduler("rosetta-scheduler");
        final TwinRegistryImpl registry;
        final DeviceManagerImpl devices;
        final CoapRuntime runtime = new CoapRuntime(Clock.systemUTC());
        final CoapHandlerFactory factory = new CoapHandlerFactory(runtime, models);
        final CoapServerComponent server;
        private final Path journal;
        private final InetSocketAddress address;

        Rosetta() throws IOException {
            this(Map.of());
        }

        /** With {@code psk} not empty: DTLS only (no plain CoAP), these identities and keys. */
        Rosetta(Map<String, byte[]> psk) throws IOException {
            journal = Files.createTempDirectory("rosetta-coap-bench");
            registry = TwinRegistryImpl.withJournal(journal, Journal.FsyncPolicy.INTERVAL, 2_000_000);
            registry.setValidators(List.of(new ModelValidator(models, true, true)));
            devices = new DeviceManagerImpl(registry, scheduler, new DeviceManagerImpl.Config() {
                @Override
                public int deviceQueueCapacity() {
                    return 256;
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
            devices.addFactory(factory);
            int port = freeUdpPort();
            Map<String, Object> config = new HashMap<>(Map.of("host", "127.0.0.1", "maxLifetime", 86400));
            if (psk.isEmpty()) {
                config.putAll(Map.of("port", port, "securePort", -1, "allowPlainCoap", true));
            } else {
                config.putAll(Map.of("port", -1, "securePort", port, "allowPlainCoap", false));
                psk.forEach((identity, key) -> config.put("psk." + identity, "hex:" + HexFormat.of().formatHex(key)));
            }
            server = new CoapServerComponent(runtime, devices, models, scheduler, config, null);
            address = new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public String name() {
            return "rosetta";
        }

        @Override
        public void close() {
            server.stop();
            devices.removeFactory(factory);
            registry.close();
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
                try (Stream<Path> files = Files.walk(journal)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }

    /**
     * The baseline: Californium with the binding's Californium configuration, its executors set up the same way, and
     * resources of the same shape ({@code /rd} answers 2.01 with a location, {@code /dev/<endpoint>} answers 2.04),
     * which read nothing and store nothing.
     */
    static final class Bare implements Server {
        final ScheduledThreadPoolExecutor scheduler = scheduler("bare-scheduler");
        final AtomicLong readings = new AtomicLong();
        private final CoapServer server;
        private final InetSocketAddress address;

        Bare() throws IOException {
            this(Map.of());
        }

        /** With {@code psk} not empty: DTLS with the binding's DTLS settings and these identities and keys. */
        Bare(Map<String, byte[]> psk) throws IOException {
            Configuration cf = bindingConfiguration();
            server = new CoapServer(cf);
            server.setExecutors(scheduler, scheduler, true);
            AtomicLong ids = new AtomicLong();
            CoapResource registration = new CoapResource("registration") {
                @Override
                public void handlePOST(CoapExchange exchange) {
                    exchange.respond(ResponseCode.CHANGED);
                }
            };
            server.add(new CoapResource("rd") {
                @Override
                public Resource getChild(String name) {
                    return registration;
                }

                @Override
                public void handlePOST(CoapExchange exchange) {
                    exchange.setLocationPath("rd/" + Long.toString(ids.incrementAndGet(), 36));
                    exchange.respond(ResponseCode.CREATED);
                }
            }, new CoapResource("dev") {
                @Override
                public Resource getChild(String name) {
                    return this;
                }

                @Override
                public void handlePOST(CoapExchange exchange) {
                    readings.incrementAndGet();
                    exchange.respond(ResponseCode.CHANGED);
                }
            });
            int port = freeUdpPort();
            address = new InetSocketAddress("127.0.0.1", port);
            if (psk.isEmpty()) {
                server.addEndpoint(CoapEndpoint.builder().setConfiguration(cf).setInetSocketAddress(address).build());
            } else {
                AdvancedMultiPskStore store = new AdvancedMultiPskStore();
                psk.forEach(store::setKey);
                DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(cf).setAddress(address).setAdvancedPskStore(store).build();
                server.addEndpoint(CoapEndpoint.builder().setConfiguration(cf).setConnector(new DTLSConnector(dtls)).build());
            }
            server.start();
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public String name() {
            return "bare";
        }

        @Override
        public void close() {
            server.destroy();
            scheduler.shutdownNow();
        }
    }

    /** The Californium configuration the binding's server uses with its default settings (CoapServerComponent.californium). */
    static Configuration bindingConfiguration() {
        Configuration cf = Configuration.createStandardWithoutFile();
        cf.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 65536);
        cf.set(CoapConfig.PREFERRED_BLOCK_SIZE, 512);
        cf.set(CoapConfig.MAX_MESSAGE_SIZE, 512);
        cf.set(CoapConfig.CONGESTION_CONTROL_ALGORITHM, CoapConfig.CongestionControlMode.COCOA);
        cf.set(CoapConfig.ACK_TIMEOUT, 2000, TimeUnit.MILLISECONDS);
        cf.set(CoapConfig.MAX_RETRANSMIT, 4);
        DtlsConnectors.configure(cf, false);
        return cf;
    }
}
