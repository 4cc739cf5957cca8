package io.rosetta.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first start of a Rosetta server: creates the {@code admin} account (see {@link AdminAccount}) as soon as
 * the JAAS realm's configuration ({@code etc/org.apache.karaf.jaas.cfg}) and its bcrypt encryption service are
 * there. A generated password is shown once, on the console and in the log.
 */
@Component(immediate = true, configurationPid = "org.apache.karaf.jaas", configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    /** Karaf's bcrypt encryption service (the bundles of its spring-security-crypto-encryption feature, in rosetta-security), as etc/org.apache.karaf.jaas.cfg selects it. */
    static final String ENCRYPTION = "spring-security-crypto";

    @Activate
    public AdminBootstrap(BundleContext context, Map<String, Object> jaasConfig,
            @Reference(target = "(name=" + ENCRYPTION + ")") EncryptionService encryption) {
        String etcProperty = context.getProperty("karaf.etc");
        if (etcProperty == null) {
            LOG.error("karaf.etc is not set: cannot create the administrator account");
            return;
        }
        Path etc = Path.of(etcProperty);
        SecureRandom random = new SecureRandom();
        try {
            PasswordHasher hasher = PasswordHasher.fromJaasConfig(jaasConfig, encryption, ENCRYPTION);
            AdminAccount account = new AdminAccount(etc, hasher, () -> choosePassword(context, random), random);
            AdminAccount.Outcome outcome = account.ensure();
            outcome.createdWith().ifPresent(AdminBootstrap::announce);
            outcome.generatedKey().ifPresent(key -> LOG.info(
                    "Generated the administrator's SSH key {} (public key in etc/keys.properties): bin/rosetta uses it", key));
        } catch (IOException | RuntimeException e) {
            LOG.error("Cannot create the administrator account in {}: {}", etc, e.getMessage(), e);
        }
    }

    private static AdminPassword choosePassword(BundleContext context, SecureRandom random) {
        try {
            return AdminPassword.choose(System::getenv, context::getProperty, random);
        } catch (AdminPassword.RejectedPasswordException e) {
            LOG.error("{}; a random password is generated instead", e.getMessage());
            return AdminPassword.generate(random);
        }
    }

    private static void announce(AdminPassword password) {
        if (password.source() != AdminPassword.Source.GENERATED) {
            LOG.info("Created the administrator account 'admin' with the password from {}",
                    password.source() == AdminPassword.Source.ENVIRONMENT
                            ? AdminPassword.ENVIRONMENT_VARIABLE : AdminPassword.SYSTEM_PROPERTY);
            return;
        }
        String banner = String.join(System.lineSeparator(),
                "",
                "==================================================================",
                " ROSETTA FIRST START: administrator account created",
                "   user:     admin",
                "   password: " + password.value(),
                " This password is shown only once and stored hashed (bcrypt) in",
                " etc/users.properties. To change it, see docs/ADMIN.md.",
                "==================================================================",
                "");
        System.out.println(banner);
        banner.lines().filter(line -> !line.isEmpty()).forEach(LOG::warn);
    }
}
