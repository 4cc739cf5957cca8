package io.rosetta.api.internal;

import java.security.Principal;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

/** A JAAS login module with one user, {@code admin}/{@code s3cret:with:colons}, in role {@code admin}. */
public final class TestLoginModule implements LoginModule {

    static final String USER = "admin";
    static final String PASSWORD = "s3cret:with:colons";

    /** Named like Karaf's, whose simple name the authenticator recognises. */
    public record RolePrincipal(String getName) implements Principal {
    }

    private Subject subject;
    private CallbackHandler handler;
    private String user;

    /** A JAAS configuration whose realm {@code realm} logs in with this module. */
    public static Configuration configuration(String realm) {
        AppConfigurationEntry entry = new AppConfigurationEntry(TestLoginModule.class.getName(),
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of());
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return realm.equals(name) ? new AppConfigurationEntry[] {entry} : null;
            }
        };
    }

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> sharedState, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new LoginException(e.toString());
        }
        if (!USER.equals(name.getName()) || !PASSWORD.equals(new String(password.getPassword()))) {
            throw new FailedLoginException("wrong user or password");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().add(new RolePrincipal("admin"));
        return user != null;
    }

    @Override
    public boolean abort() {
        user = null;
        return true;
    }

    @Override
    public boolean logout() {
        return true;
    }
}
