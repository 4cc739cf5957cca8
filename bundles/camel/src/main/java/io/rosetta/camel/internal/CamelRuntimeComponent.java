package io.rosetta.camel.internal;

import io.rosetta.camel.HttpServerStatus;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Rosetta's one Camel context, its HTTP server (plain HTTP and HTTPS, see {@link CamelRuntimeConfig}) and a whiteboard of routes: every {@link RoutesBuilder} service
 * that any bundle publishes has its routes added when it comes and removed when it goes. The
 * context is published as a {@link CamelContext} service ({@code camel.context.name=rosetta}), the HTTP
 * server's state as an {@link HttpServerStatus} service; both carry {@code http.port}, {@code http.listening},
 * {@code https.port} and {@code https.listening}.
 *
 * <p>Builders are fetched through {@link ComponentServiceObjects}: publish a builder with prototype
 * scope and every start of the context (a new port, say) configures a fresh instance.
 */
@Component(configurationPid = "io.rosetta.camel", service = {}, immediate = true)
@Designate(ocd = CamelRuntimeConfig.class)
public final class CamelRuntimeComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CamelRuntimeComponent.class);

    private final RouteWhiteboard whiteboard;
    private final ServiceRegistration<CamelContext> registration;
    private final ServiceRegistration<HttpServerStatus> statusRegistration;

    @Activate
    public CamelRuntimeComponent(BundleContext bundleContext, CamelRuntimeConfig config) {
        CamelRuntime runtime = new CamelRuntime(HttpSettings.of(config), CamelRuntimeComponent.class.getClassLoader());
        this.whiteboard = new RouteWhiteboard(runtime);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("camel.context.name", CamelRuntime.NAME);
        properties.put("http.port", runtime.httpPort());
        properties.put("http.listening", runtime.httpListening());
        properties.put("https.port", runtime.httpsPort());
        properties.put("https.listening", runtime.httpsListening());
        this.statusRegistration = bundleContext.registerService(HttpServerStatus.class, runtime.server(), properties);
        this.registration = bundleContext.registerService(CamelContext.class, runtime.context(), properties);
    }

    @Reference(service = RoutesBuilder.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRoutesBuilder(ComponentServiceObjects<RoutesBuilder> builder, Map<String, Object> properties) {
        whiteboard.add(builder, describe(properties));
    }

    void removeRoutesBuilder(ComponentServiceObjects<RoutesBuilder> builder) {
        whiteboard.remove(builder);
    }

    @Deactivate
    void deactivate() {
        unregister(registration);
        unregister(statusRegistration);
        whiteboard.close();
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            LOG.debug("A service of the Camel runtime was unregistered already");
        }
    }

    private static String describe(Map<String, Object> properties) {
        Object name = properties.get("component.name");
        return (name != null ? name : properties.get("objectClass")) + " (service " + properties.get("service.id") + ")";
    }
}
