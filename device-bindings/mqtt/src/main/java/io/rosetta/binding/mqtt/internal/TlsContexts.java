package io.rosetta.binding.mqtt.internal;

import io.rosetta.binding.mqtt.internal.config.BrokerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** The TLS socket factory of a broker connection: its trust store (the broker's CA) and client certificate. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** {@code null} when neither a trust store nor a key store is configured (the JVM's defaults apply to ssl:// URLs). */
    static SSLSocketFactory socketFactory(BrokerConfig c) throws GeneralSecurityException, IOException {
        if (c.trustStore() == null && c.keyStore() == null) {
            return null;
        }
        TrustManagerFactory tmf = null;
        if (c.trustStore() != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(c.trustStore(), c.trustStoreType(), c.trustStorePassword()));
        }
        KeyManagerFactory kmf = null;
        if (c.keyStore() != null) {
            char[] password = c.keyStorePassword() == null ? new char[0] : c.keyStorePassword().toCharArray();
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(c.keyStore(), c.keyStoreType(), c.keyStorePassword()), password);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    private static KeyStore load(String file, String type, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }
}
