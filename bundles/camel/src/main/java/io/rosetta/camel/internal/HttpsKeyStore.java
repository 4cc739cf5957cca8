package io.rosetta.camel.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keystore of the HTTPS port: a configured one, opened and checked before the server uses it,
 * or — when no password is configured — the one Rosetta generates at first start: a self-signed
 * certificate (EC P-256, SHA-256 with ECDSA) for {@code localhost}, {@code 127.0.0.1}, {@code ::1},
 * this host's name and any extra names, with a random password kept in a sibling file
 * ({@code <keystore>.password}). Both files are readable by their owner only. A generated certificate
 * that has expired is generated again.
 */
final class HttpsKeyStore {

    static final String DEFAULT_FILE = "rosetta-https.p12";
    static final String PASSWORD_SUFFIX = ".password";
    static final String GENERATED_ALIAS = "rosetta-https";
    static final Duration GENERATED_VALIDITY = Duration.ofDays(825);

    private static final Logger LOG = LoggerFactory.getLogger(HttpsKeyStore.class);

    /** A keystore that opened, with the key entry to serve. */
    record Opened(Path path, byte[] bytes, String type, String password, String alias, X509Certificate certificate, boolean generated) {

        String fingerprint() {
            return fingerprintOf(certificate);
        }
    }

    /** Why the HTTPS port cannot be served; the message says what to change. */
    static final class KeyStoreException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HttpsKeyStore() {
    }

    /**
     * Opens the keystore that the settings name. With a configured password the keystore must exist; without
     * one, its password comes from {@code <path>.password}, and both are generated when the keystore is missing.
     */
    static Opened open(HttpSettings.Tls tls) throws KeyStoreException {
        Path path = tls.keystore();
        if (tls.password() != null && !tls.password().isEmpty()) {
            return load(path, tls.type(), tls.password(), tls.alias(), false);
        }
        Path passwordFile = passwordFileOf(path);
        if (!Files.exists(path)) {
            return generate(path, passwordFile, tls.extraNames());
        }
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new KeyStoreException("the keystore " + path + " exists but its password is neither configured (https.keystore.password) "
                    + "nor readable from " + passwordFile + " (" + e + ")", e);
        }
        Opened opened = load(path, tls.type(), password, tls.alias(), true);
        if (GENERATED_ALIAS.equals(opened.alias()) && opened.certificate().getNotAfter().toInstant().isBefore(Instant.now())) {
            LOG.warn("The self-signed certificate in {} expired on {}: generating a new one", path, opened.certificate().getNotAfter().toInstant());
            return generate(path, passwordFile, tls.extraNames());
        }
        return opened;
    }

    static Path passwordFileOf(Path keystore) {
        return keystore.resolveSibling(keystore.getFileName() + PASSWORD_SUFFIX);
    }

    static Opened load(Path path, String type, String password, String alias, boolean generated) throws KeyStoreException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new KeyStoreException("the keystore " + path + " cannot be read (" + e + "): check https.keystore.path", e);
        }
        char[] secret = password.toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (java.security.KeyStoreException e) {
            throw new KeyStoreException("the keystore type '" + type + "' is not known to this Java runtime: check https.keystore.type", e);
        }
        try {
            store.load(new ByteArrayInputStream(bytes), secret);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password");
            throw new KeyStoreException(wrongPassword
                    ? "the password of the keystore " + path + " is wrong: check https.keystore.password"
                    : "the keystore " + path + " cannot be opened as " + type + " (" + e.getMessage() + "): check https.keystore.path and https.keystore.type", e);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreException("the keystore " + path + " cannot be opened (" + e + ")", e);
        }
        try {
            String entry = alias == null || alias.isEmpty() ? firstKeyAlias(store) : alias;
            if (entry == null || !store.isKeyEntry(entry)) {
                throw new KeyStoreException(entry == null
                        ? "the keystore " + path + " holds no private key"
                        : "the keystore " + path + " has no private key named '" + entry + "': check https.key.alias", null);
            }
            Key key = store.getKey(entry, secret);
            Certificate certificate = store.getCertificate(entry);
            if (!(key instanceof PrivateKey) || !(certificate instanceof X509Certificate x509)) {
                throw new KeyStoreException("the entry '" + entry + "' of " + path + " is not a private key with an X.509 certificate", null);
            }
            return new Opened(path, bytes, type, password, entry, x509, generated);
        } catch (UnrecoverableKeyException e) {
            throw new KeyStoreException("the private key in " + path + " has a password other than the keystore's: give both the same password", e);
        } catch (GeneralSecurityException e) {
            throw new KeyStoreException("the keystore " + path + " cannot be read (" + e + ")", e);
        }
    }

    private static String firstKeyAlias(KeyStore store) throws java.security.KeyStoreException {
        for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements();) {
            String a = aliases.nextElement();
            if (store.isKeyEntry(a)) {
                return a;
            }
        }
        return null;
    }

    /** Generates a self-signed certificate and its keystore at {@code path}, with a random password in {@code passwordFile}. */
    static Opened generate(Path path, Path passwordFile, Collection<String> extraNames) throws KeyStoreException {
        SecureRandom random = new SecureRandom();
        byte[] secretBytes = new byte[24];
        random.nextBytes(secretBytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        Set<String> names = subjectNames(extraNames);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X509Certificate certificate = selfSigned(pair, names, random);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(GENERATED_ALIAS, pair.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            byte[] bytes = out.toByteArray();
            Files.createDirectories(path.toAbsolutePath().getParent());
            // the password first: a keystore on disk always has its password beside it
            writeOwnerOnly(passwordFile, (password + "\n").getBytes(StandardCharsets.UTF_8));
            writeOwnerOnly(path, bytes);
            LOG.info("Generated a self-signed certificate for HTTPS in {} (password in {}), valid until {} for {}; SHA-256 fingerprint {}",
                    path, passwordFile, certificate.getNotAfter().toInstant(), names, fingerprintOf(certificate));
            return new Opened(path, bytes, "PKCS12", password, GENERATED_ALIAS, certificate, true);
        } catch (IOException e) {
            throw new KeyStoreException("the self-signed certificate cannot be written to " + path + " (" + e + ")", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new KeyStoreException("the self-signed certificate cannot be generated (" + e + ")", e);
        }
    }

    /** localhost, the loopback addresses, this host's name, then the configured extra names. */
    static Set<String> subjectNames(Collection<String> extraNames) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank()) {
                names.add(host.toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            LOG.debug("This host's name is unknown; the certificate names localhost only: {}", e.toString());
        }
        for (String n : extraNames) {
            if (!n.isBlank()) {
                names.add(n.strip());
            }
        }
        return names;
    }

    private static X509Certificate selfSigned(KeyPair pair, Set<String> names, SecureRandom random)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        String commonName = names.stream().filter(n -> !IPAddress.isValid(n) && !"localhost".equals(n)).findFirst().orElse("localhost");
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Rosetta").addRDN(BCStyle.CN, commonName).build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(GENERATED_VALIDITY)), subject, pair.getPublic());
        GeneralName[] alternatives = names.stream()
                .map(n -> new GeneralName(IPAddress.isValid(n) ? GeneralName.iPAddress : GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    /** Writes through a temporary file readable by its owner only, then moves it into place. */
    private static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        }
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static String fingerprintOf(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
