package io.rosetta.itests;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.rosetta.binding.coap.CoapBindingStatistics;
import io.rosetta.binding.coap.RejectReason;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A device with Eclipse Californium inside the container, and the binding's statistics service. Kept apart from
 * the test class (and its signatures free of Californium types): the probe imports Californium dynamically, and the
 * packages only exist once the binding's feature is installed.
 */
final class CaliforniumDevice implements AutoCloseable {

    private final Endpoint endpoint;
    private final int port;

    CaliforniumDevice(int port) {
        this.port = port;
        this.endpoint = CoapEndpoint.builder().setConfiguration(Configuration.createStandardWithoutFile())
                .setInetSocketAddress(new InetSocketAddress("127.0.0.1", 0)).build();
    }

    /** POSTs a payload of a content format; returns the answer as {@code "<code> <payload>"}. */
    String post(String pathAndQuery, String payload, int contentFormat) throws Exception {
        CoapClient client = new CoapClient("coap://127.0.0.1:" + port + pathAndQuery);
        client.setEndpoint(endpoint);
        client.setTimeout(5000L);
        Request request = Request.newPost();
        request.setPayload(payload.getBytes(StandardCharsets.UTF_8));
        request.getOptions().setContentFormat(contentFormat);
        CoapResponse response = client.advanced(request);
        if (response == null) {
            return "no answer";
        }
        return response.getCode().text + " " + response.getResponseText();
    }

    /** Whether the server answers a GET of {@code /.well-known/core}. */
    static boolean ping(int port) throws Exception {
        try (CaliforniumDevice d = new CaliforniumDevice(port)) {
            CoapClient client = new CoapClient("coap://127.0.0.1:" + port + "/.well-known/core");
            client.setEndpoint(d.endpoint);
            client.setTimeout(1000L);
            CoapResponse response = client.get();
            return response != null && response.isSuccess();
        }
    }

    static long received(BundleContext context) {
        return statistics(context).received();
    }

    static long rejected(BundleContext context, String reason) {
        return statistics(context).rejected(RejectReason.valueOf(reason));
    }

    private static CoapBindingStatistics statistics(BundleContext context) {
        ServiceReference<CoapBindingStatistics> ref = context.getServiceReference(CoapBindingStatistics.class);
        if (ref == null) {
            throw new IllegalStateException("the CoAP binding's statistics service is not registered");
        }
        return context.getService(ref);
    }

    @Override
    public void close() {
        endpoint.destroy();
    }
}
