package io.rosetta.devices.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords that passed an Argon2id verification, remembered as HMAC-SHA256 digests under a key that exists only in
 * this process's memory: {@code HMAC(key, deviceId | credentials version | password)}. A later check of the same
 * password costs one HMAC instead of an Argon2id run; a digest from here is useless outside the process (the key is
 * never written anywhere), and it stops matching as soon as the device's credentials change (their version is in
 * it). Entries expire after {@code ttlMillis}; when {@code capacity} is reached, about a tenth of the entries are
 * dropped. Entries of a device are removed when its credentials or state change.
 */
final class VerifiedCredentials {

    private record Entry(String deviceId, long version, byte[] digest, long expires) {
    }

    private final ConcurrentHashMap<String, Entry> byUsername = new ConcurrentHashMap<>();
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final int capacity;
    private final long ttlMillis;

    VerifiedCredentials(int capacity, long ttlMillis, SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.capacity = capacity;
        this.ttlMillis = ttlMillis;
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is missing from the JVM", e);
            }
        });
    }

    boolean enabled() {
        return capacity > 0;
    }

    /** Whether {@code password} was verified for this username, device and credentials version, and has not expired. */
    boolean matches(String username, String deviceId, long version, byte[] password, long now) {
        Entry e = byUsername.get(username);
        if (e == null || e.version != version || !e.deviceId.equals(deviceId)) {
            return false;
        }
        if (e.expires < now) {
            byUsername.remove(username, e);
            return false;
        }
        return MessageDigest.isEqual(e.digest, digest(deviceId, version, password));
    }

    void remember(String username, String deviceId, long version, byte[] password, long now) {
        if (capacity <= 0) {
            return;
        }
        if (byUsername.size() >= capacity) {
            shrink();
        }
        byUsername.put(username, new Entry(deviceId, version, digest(deviceId, version, password), now + ttlMillis));
    }

    void forget(String username) {
        if (username != null) {
            byUsername.remove(username);
        }
    }

    void clear() {
        byUsername.clear();
    }

    int size() {
        return byUsername.size();
    }

    private void shrink() {
        int drop = Math.max(1, capacity / 10);
        Iterator<String> it = byUsername.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    byte[] digest(String deviceId, long version, byte[] password) {
        Mac mac = macs.get();
        mac.update(deviceId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        for (int i = 7; i >= 0; i--) {
            mac.update((byte) (version >>> (8 * i)));
        }
        mac.update(password);
        return mac.doFinal();
    }
}
