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

/** The TLS material of a broker connection: its trust store (the broker's CA) and client certificate. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** {@code null} when neither a trust store nor a key store is configured (the JVM's defaults apply to ssl:// URLs). */
    static SSLSocketFactory socketFactory(BrokerConfig c) throws GeneralSecurityException, IOException {
        if (c.trustStore() == null && c.keyStore() == null) {
            return null;
        }
        TrustManagerFactory tmf = trustManagers(c);
        KeyManagerFactory kmf = keyManagers(c);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** The broker's CA from {@code trustStore}; {@code null} without one (the JVM's default trust). */
    static TrustManagerFactory trustManagers(BrokerConfig c) throws GeneralSecurityException, IOException {
        if (c.trustStore() == null) {
            return null;
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(c.trustStore(), c.trustStoreType(), c.trustStorePassword()));
        return tmf;
    }

    /** The client certificate from {@code keyStore}; {@code null} without one. */
    static KeyManagerFactory keyManagers(BrokerConfig c) throws GeneralSecurityException, IOException {
        if (c.keyStore() == null) {
            return null;
        }
        char[] password = c.keyStorePassword() == null ? new char[0] : c.keyStorePassword().toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(c.keyStore(), c.keyStoreType(), c.keyStorePassword()), password);
        return kmf;
    }

    private static KeyStore load(String file, String type, String password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }
}
