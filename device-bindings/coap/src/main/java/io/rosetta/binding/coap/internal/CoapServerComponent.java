package io.rosetta.binding.coap.internal;

import io.rosetta.binding.coap.internal.config.CoapServerConfig;
import io.rosetta.binding.coap.internal.dtls.ConfiguredPskCredentials;
import io.rosetta.binding.coap.internal.dtls.ConfiguredTrustedKeys;
import io.rosetta.binding.coap.internal.dtls.DtlsConnectors;
import io.rosetta.binding.coap.internal.dtls.KeyFiles;
import io.rosetta.binding.coap.internal.dtls.EndpointInfo;
import io.rosetta.binding.coap.internal.dtls.PskCredentials;
import io.rosetta.binding.coap.internal.dtls.RegistryPskCredentials;
import io.rosetta.binding.coap.internal.dtls.TrustedKeys;
import io.rosetta.binding.coap.internal.json.JsonMappings;
import io.rosetta.binding.coap.internal.json.JsonReadingMapper;
import io.rosetta.binding.coap.internal.resource.DeviceDataResource;
import io.rosetta.binding.coap.internal.resource.RdResource;
import io.rosetta.binding.coap.internal.resource.Refusals;
import io.rosetta.binding.coap.internal.resource.Requests;
import io.rosetta.binding.coap.internal.senml.SenmlDecoder;
import io.rosetta.binding.coap.internal.senml.SenmlMapper;
import io.rosetta.core.binding.DeviceManager;
import io.rosetta.core.json.JsonObject;
import io.rosetta.core.model.LifecycleState;
import io.rosetta.devices.Device;
import io.rosetta.devices.DeviceEvent;
import io.rosetta.devices.DeviceListener;
import io.rosetta.devices.DeviceRegistry;
import io.rosetta.models.ModelRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.Filter;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP server ({@code etc/io.rosetta.binding.coap.cfg}): a Californium server with a UDP endpoint
 * (5683) and a Scandium DTLS 1.2 endpoint (5684) with pre-shared keys and, when configured, raw public keys
 * (RFC 7250), serving the Resource Directory ({@code /rd}) and the readings ({@code /dev/<endpoint>}).
 * Californium's request handling runs on the core's scheduler; block-wise transfer is bounded by
 * {@code maxBodySize}. A port that cannot be bound is logged once; the other endpoint still runs.
 *
 * <p>While a {@link DeviceRegistry} runs, its pre-shared keys are asked first (then the configuration's), its devices
 * are admitted at registration ({@link DeviceRegistry#markContact}), and as a {@link DeviceListener} the server ends
 * the DTLS sessions and the registration of a device the registry suspends, decommissions or gives a new key.
 */
@Component(service = {CoapServerComponent.class, DeviceListener.class}, immediate = true, configurationPid = CoapBindingConstants.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class CoapServerComponent implements DeviceListener {

    private static final Logger LOG = LoggerFactory.getLogger(CoapServerComponent.class);

    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final CoapRuntime runtime;
    private final RegistryAdmission admission = new RegistryAdmission();
    private ScheduledExecutorService scheduler;
    private ResourceDirectory directory;
    private CoapServer server;
    private Endpoint plain;
    private Endpoint secure;
    private DTLSConnector dtls;
    private PublicKey serverPublicKey;

    @Activate
    public CoapServerComponent(@Reference CoapRuntime runtime, @Reference DeviceManager devices, @Reference ModelRegistry models,
                               @Reference(target = "(rosetta.scheduler=core)") ScheduledExecutorService scheduler,
                               Map<String, Object> properties) {
        this(runtime, devices, models, scheduler, properties, null);
    }

    /**
     * As the DS constructor, with pre-shared keys looked up in the device registry (while one is bound), then in
     * {@code credentials}, then in the configuration ({@code credentials == null}: registry and configuration).
     */
    public CoapServerComponent(CoapRuntime runtime, DeviceManager devices, ModelRegistry models, ScheduledExecutorService scheduler,
                               Map<String, Object> properties, PskCredentials credentials) {
        this.runtime = runtime;
        CoapServerConfig config;
        try {
            config = CoapServerConfig.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.error("CoAP server not started: {} (in etc/{}.cfg)", e.getMessage(), CoapBindingConstants.PID);
            return;
        }
        PskCredentials configured = new ConfiguredPskCredentials(config.psk());
        this.scheduler = scheduler;
        start(config, devices, models, scheduler, new RegistryPskCredentials(admission::registry,
                credentials == null ? configured : PskCredentials.firstOf(credentials, configured)));
    }

    private void start(CoapServerConfig config, DeviceManager devices, ModelRegistry models, ScheduledExecutorService scheduler,
                       PskCredentials psk) {
        runtime.deadLetterCapacity(config.deadLetters());
        JsonMappings jsonMappings = JsonMappings.load(CoapServerComponent.class.getClassLoader(), config.jsonMappingDir());
        this.directory = new ResourceDirectory(runtime, devices, models, scheduler, config, jsonMappings, admission);
        Configuration cf = californium(config);
        this.server = new CoapServer(cf);
        server.setExecutors(scheduler, scheduler, true);
        Refusals refusals = (exchange, endpoint, e) -> {
            runtime.reject(e, Requests.peer(exchange), endpoint, Requests.path(exchange),
                    exchange.getRequestOptions().getContentFormat(), exchange.getRequestPayload());
            Requests.refuse(exchange, e);
        };
        ReadingIngest ingest = new ReadingIngest(runtime, directory, new SenmlDecoder(config.maxRecords()), new SenmlMapper(models),
                jsonMappings, new JsonReadingMapper(models));
        server.add(new RdResource(directory, refusals), new DeviceDataResource(ingest, refusals));
        if (config.port() >= 0) {
            plain = CoapEndpoint.builder().setConfiguration(cf).setInetSocketAddress(new InetSocketAddress(config.host(), config.port()))
                    .build();
            server.addEndpoint(plain);
        }
        if (config.securePort() >= 0) {
            KeyPair serverKey = config.rawPublicKeys() ? serverKey(config) : null;
            if (config.rawPublicKeys() && serverKey == null) {
                LOG.error("CoAP DTLS endpoint not started: raw public keys are on but the server has no key pair");
            } else {
                TrustedKeys trusted = null;
                if (serverKey != null) {
                    ConfiguredTrustedKeys keys = new ConfiguredTrustedKeys(config.rpk(), config.rpkDir());
                    trusted = keys;
                    serverPublicKey = serverKey.getPublic();
                    LOG.info("CoAP DTLS accepts raw public keys: {} trusted now; the server's key is {}", keys.size(),
                            KeyFiles.name(serverPublicKey));
                }
                dtls = DtlsConnectors.server(cf, new InetSocketAddress(config.host(), config.securePort()), psk, serverKey, trusted);
                secure = CoapEndpoint.builder().setConfiguration(cf).setConnector(dtls).build();
                server.addEndpoint(secure);
            }
        }
        for (Endpoint e : server.getEndpoints()) {
            try {
                e.start();
            } catch (IOException ex) {
                LOG.error("CoAP endpoint {} cannot start: {}", e.getUri(), ex.getMessage());
            }
        }
        server.start();
        runtime.channel(new DeviceChannel() {
            @Override
            public Endpoint endpoint(Registration registration) {
                return registration.identity() != null && secure != null ? secure : plain;
            }

            @Override
            public Map<String, JsonObject> notification(Registration registration, String defaultName, int contentFormat,
                                                        byte[] payload) throws RejectedException {
                return ingest.notification(registration, defaultName, contentFormat, payload);
            }

            @Override
            public void refused(Registration registration, String path, int contentFormat, byte[] payload, RejectedException e) {
                runtime.reject(e, registration.base(), registration.endpoint(), path, contentFormat, payload);
            }
        });
        LOG.info("CoAP server listening on {}", server.getEndpoints().stream().filter(Endpoint::isStarted)
                .map(e -> e.getUri().toString()).toList());
    }

    /** The device registry comes (DS; outside OSGi call it, and register the server as the registry's listener). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindDeviceRegistry")
    public void bindDeviceRegistry(DeviceRegistry registry) {
        admission.bind(registry);
        LOG.info("CoAP pre-shared keys come from the device registry first, then from the configuration");
    }

    /** The device registry goes: pre-shared keys from the configuration only. */
    public void unbindDeviceRegistry(DeviceRegistry registry) {
        admission.unbind(registry);
    }

    /**
     * A change in the device registry. A device provisioned for a twin that is registered here gets its first contact
     * with its next reading. A device whose credentials stop working (suspended, decommissioned, removed) or whose
     * pre-shared key changes loses its DTLS sessions and its registration at once (on the scheduler): its next request
     * needs a new handshake, which the registry decides.
     */
    @Override
    public void deviceChanged(DeviceEvent event) {
        ResourceDirectory dir = directory;
        if (dir == null) {
            return;
        }
        Device after = event.after();
        if (event.type() == DeviceEvent.Type.PROVISIONED) {
            if (runtime.registration(after.thingId()) != null) {
                admission.awaitContact(after.thingId());
            }
            return;
        }
        String why = revocation(event);
        if (why == null) {
            return;
        }
        try {
            scheduler.execute(() -> revoke(after, why));
        } catch (RejectedExecutionException e) {
            // the scheduler is stopping: the server is going away with it
        }
    }

    /** Why a change ends a device's sessions, {@code null} when it does not. */
    private static String revocation(DeviceEvent event) {
        Device before = event.before();
        Device after = event.after();
        if (event.revoked()) {
            String what = after.state() == LifecycleState.SUSPENDED ? "suspended"
                    : after.state() == LifecycleState.DECOMMISSIONED ? "decommissioned" : "revoked the credentials of";
            return "the device registry " + what + " device '" + after.deviceId() + "'";
        }
        if (event.type() == DeviceEvent.Type.CREDENTIALS_CHANGED && before != null
                && (!Objects.equals(before.credentials().pskIdentity(), after.credentials().pskIdentity())
                || !Objects.equals(before.credentials().sealedPskKey(), after.credentials().sealedPskKey()))) {
            return "the device registry changed the pre-shared key of device '" + after.deviceId() + "'";
        }
        return null;
    }

    private void revoke(Device after, String why) {
        ResourceDirectory dir = directory;
        if (dir == null) {
            return;
        }
        DTLSConnector c = dtls;
        if (c != null) {
            // the sessions its registry credential made (they carry its id); true: no resumption from the session cache
            String id = after.deviceId();
            Filter<Principal> ofDevice = p -> id.equals(EndpointInfo.deviceId(p));
            c.startTerminateConnectionsForPrincipal(ofDevice, true);
        }
        List<Registration> ended = dir.revoke(after.thingId(), why);
        LOG.info("CoAP: {}: its DTLS sessions end{}", why, ended.isEmpty() ? "" : ", and its registration " + ended.get(0).id());
    }

    /** The server's key pair (created at first start), or {@code null} when it cannot be read or written. */
    private static KeyPair serverKey(CoapServerConfig config) {
        try {
            KeyFiles.Loaded loaded = KeyFiles.loadOrCreate(config.serverKeyFile());
            if (loaded.created()) {
                LOG.info("CoAP server key pair created in {}; its public key, for devices that pin it:\n{}", config.serverKeyFile(),
                        KeyFiles.pem("PUBLIC KEY", loaded.keyPair().getPublic().getEncoded()));
            }
            return loaded.keyPair();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            LOG.error("The CoAP server key {} cannot be read or created: {}", config.serverKeyFile(), e.getMessage());
            return null;
        }
    }

    /** Californium's configuration: block-wise transfer up to {@code maxBodySize}, congestion control, DTLS cipher suites. */
    static Configuration californium(CoapServerConfig config) {
        Configuration cf = Configuration.createStandardWithoutFile();
        cf.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, config.maxBodySize());
        cf.set(CoapConfig.PREFERRED_BLOCK_SIZE, config.blockSize());
        cf.set(CoapConfig.MAX_MESSAGE_SIZE, config.blockSize());
        cf.set(CoapConfig.CONGESTION_CONTROL_ALGORITHM, CoapConfig.CongestionControlMode.COCOA);
        cf.set(CoapConfig.ACK_TIMEOUT, config.ackTimeout(), java.util.concurrent.TimeUnit.MILLISECONDS);
        cf.set(CoapConfig.MAX_RETRANSMIT, config.maxRetransmit());
        DtlsConnectors.configure(cf, config.rawPublicKeys());
        return cf;
    }

    /** The server's raw public key ({@code null} when raw public keys are off). */
    PublicKey serverPublicKey() {
        return serverPublicKey;
    }

    /** The bound UDP address ({@code null} when disabled or not started). */
    InetSocketAddress plainAddress() {
        return plain != null && plain.isStarted() ? plain.getAddress() : null;
    }

    /** The bound DTLS address ({@code null} when disabled or not started). */
    InetSocketAddress secureAddress() {
        return secure != null && secure.isStarted() ? secure.getAddress() : null;
    }

    /** Stops the server (DS deactivation; also for code that runs the binding outside OSGi). */
    @Deactivate
    public void stop() {
        if (server == null) {
            return;
        }
        runtime.channel(null);
        directory.close();
        server.destroy();
    }
}
