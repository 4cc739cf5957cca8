package io.rosetta.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.moquette.broker.subscriptions.Topic;
import io.rosetta.broker.BrokerStatistics.ConnectRefusal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The authorizer's rules for each kind of client, against an authority of the test's own (no broker, no registry). */
class BrokerSecurityTest {

    /** Devices by username: password and topics; a username in {@code suspended} may not connect. */
    static final class Authority implements DeviceAuthority {
        final Map<String, String> passwords = new HashMap<>();
        final Map<String, TopicAcl> topics = new HashMap<>();
        final List<String> suspended = new ArrayList<>();
        final List<Watcher> watchers = new ArrayList<>();

        void add(String user, String password, String... filters) {
            passwords.put(user, password);
            topics.put(user, new TopicAcl(List.of(filters)));
        }

        @Override
        public Verdict authenticate(String username, byte[] password) {
            String pw = passwords.get(username);
            if (pw == null) {
                return new Verdict(Outcome.UNKNOWN, null, null);
            }
            if (suspended.contains(username)) {
                return new Verdict(Outcome.NOT_ALLOWED, username, null);
            }
            return pw.equals(new String(password, StandardCharsets.UTF_8)) ? new Verdict(Outcome.ACCEPTED, username, topics.get(username))
                    : new Verdict(Outcome.BAD_CREDENTIALS, username, null);
        }

        @Override
        public TopicAcl acl(String username) {
            return mayConnect(username) ? topics.get(username) : null;
        }

        @Override
        public boolean mayConnect(String username) {
            return passwords.containsKey(username) && !suspended.contains(username);
        }

        @Override
        public void watch(Watcher watcher) {
            watchers.add(watcher);
        }

        @Override
        public void unwatch(Watcher watcher) {
            watchers.remove(watcher);
        }
    }

    private static byte[] pw(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void devicesAreConfinedTheServiceAccountIsNotAnonymousDependsOnTheSetting() {
        Authority authority = new Authority();
        authority.add("th16", "th16-password", "tele/th16/#", "cmnd/th16/#");
        List<String> disconnected = new ArrayList<>();
        BrokerSecurity security = new BrokerSecurity(true, false, ServiceAccount.of("rosetta", ServiceAccountTest.HASH));
        security.disconnectWith(disconnected::add);
        security.setAuthority(authority);

        assertThat(security.checkValid("c1", "th16", pw("th16-password"))).isTrue();
        assertThat(security.canWrite(new Topic("tele/th16/SENSOR"), "th16", "c1")).isTrue();
        assertThat(security.canRead(new Topic("cmnd/th16/+"), "th16", "c1")).isTrue();
        assertThat(security.canRead(new Topic("cmnd/+/POWER"), "th16", "c1")).isFalse();
        assertThat(security.canWrite(new Topic("tele/th17/SENSOR"), "th16", "c1")).isFalse();
        assertThat(disconnected).as("a publication outside its topics closes the connection").containsExactly("c1");

        assertThat(security.canWrite(new Topic("anything"), "rosetta", "svc")).as("the service account").isTrue();
        assertThat(security.canRead(new Topic("#"), "rosetta", "svc")).isTrue();
        assertThat(security.canWrite(new Topic("anything"), null, "anon")).as("anonymous, not allowed").isFalse();
        assertThat(security.canWrite(new Topic("tele/x/SENSOR"), "stranger", "s")).as("a username nobody has").isFalse();
        assertThat(security.deniedPublishes()).isEqualTo(3);
        assertThat(security.deniedSubscriptions()).isEqualTo(1);

        BrokerSecurity open = new BrokerSecurity(true, true, null);
        open.setAuthority(authority);
        assertThat(open.canWrite(new Topic("anything"), null, "anon")).as("anonymous, allowed").isTrue();
        assertThat(open.checkValid("c2", "th16", pw("wrong"))).as("devices are still checked").isFalse();
        assertThat(open.refused(ConnectRefusal.BAD_CREDENTIALS)).isEqualTo(1);

        BrokerSecurity noRegistry = new BrokerSecurity(false, true, null);
        assertThat(noRegistry.checkValid("c3", "whoever", pw("whatever"))).as("no registry installed: nothing is checked").isTrue();
        assertThat(noRegistry.canWrite(new Topic("a/b"), "whoever", "c3")).isTrue();
    }

    @Test
    void revocationForgetsTheTopicsAndClosesEverySessionOfTheUsername() {
        Authority authority = new Authority();
        authority.add("th16", "th16-password", "tele/th16/#");
        List<String> disconnected = new ArrayList<>();
        BrokerSecurity security = new BrokerSecurity(true, false, null);
        security.disconnectWith(disconnected::add);
        security.setAuthority(authority);
        assertThat(security.checkValid("a", "th16", pw("th16-password"))).isTrue();
        assertThat(security.checkValid("b", "th16", pw("th16-password"))).isTrue();
        assertThat(security.deviceSessions()).isEqualTo(2);

        authority.suspended.add("th16");
        authority.watchers.forEach(w -> w.revoked("th16", "th16"));

        assertThat(disconnected).containsExactlyInAnyOrder("a", "b");
        assertThat(security.revocationDisconnects()).isEqualTo(2);
        assertThat(security.deviceSessions()).isZero();
        assertThat(security.canWrite(new Topic("tele/th16/SENSOR"), "th16", "a")).as("a session that outlived it").isFalse();
        assertThat(security.checkValid("c", "th16", pw("th16-password"))).isFalse();
        assertThat(security.refused(ConnectRefusal.NOT_ALLOWED)).isEqualTo(1);

        security.unsetAuthority(authority);
        assertThat(authority.watchers).isEmpty();
        assertThat(security.checkValid("d", "th16", pw("th16-password"))).isFalse();
        assertThat(security.refused(ConnectRefusal.REGISTRY_UNAVAILABLE)).isEqualTo(1);
    }
}
