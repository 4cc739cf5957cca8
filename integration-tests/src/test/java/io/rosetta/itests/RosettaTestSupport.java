package io.rosetta.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.awaitility.Awaitility;
import org.junit.Rule;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Boots the built Rosetta distribution (karaf-assembly) once per test class, as a user would get it, except:
 * free ports (SSH, HTTP), the virtual binding not booted (tests install it), the administrator password set
 * ({@value #ADMIN_PASSWORD}), Maven Central as the only remote repository. Runs inside the container: shell
 * commands through Karaf's {@link SessionFactory}, REST calls with HTTP Basic authentication.
 */
public abstract class RosettaTestSupport {

    /** The feature the tests install themselves: it is removed from the distribution's boot features. */
    static final String VIRTUAL_BINDING = "rosetta-binding-virtual";
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "it-admin-password";
    static final String[] ADMIN_ROLES = {"group", "admin", "manager", "viewer", "systembundles", "ssh"};
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Keeps the server's log of a failed test: Pax Exam deletes the container's folder when the class ends, so
     * {@code data/log/karaf.log} is copied to {@code target/it-work/failed/<class>.<test>-karaf.log} first.
     */
    @Rule
    public final TestWatcher keepLogOfFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            String home = System.getProperty("karaf.home");
            String data = System.getProperty("karaf.data");
            if (home == null || data == null) {
                return;
            }
            Path log = Path.of(data, "log", "karaf.log");
            Path failed = Path.of(home).toAbsolutePath().getParent().getParent().resolve("failed");
            Path copy = failed.resolve(description.getClassName() + "." + description.getMethodName() + "-karaf.log");
            try {
                Files.createDirectories(failed);
                Files.copy(log, copy, StandardCopyOption.REPLACE_EXISTING);
                System.out.println("The server's log of the failed test: " + copy);
            } catch (IOException io) {
                System.out.println("The server's log " + log + " could not be kept: " + io);
            }
        }
    };

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    /** Karaf has installed its boot features. */
    @Inject
    @Filter(timeout = 120_000)
    protected BootFinished bootFinished;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() throws IOException {
        String distribution = System.getProperty("rosetta.distribution");
        File archive = new File(distribution == null ? "" : distribution);
        assertThat(archive).as("the built distribution (mvn install in karaf-assembly first)").isFile();
        File work = new File(System.getProperty("rosetta.itest.work", "target/it-work"), "pax-exam");
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(archive.toURI().toString())
                    .name("Rosetta")
                    .unpackDirectory(work)
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            systemTimeout(BOOT_TIMEOUT.toMillis()),
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot", bootFeaturesWithoutVirtualBinding()),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                    "https://repo1.maven.org/maven2@id=central"),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
            editConfigurationFilePut("etc/io.rosetta.camel.cfg", "http.port", Integer.toString(freePort())),
            editConfigurationFilePut("etc/io.rosetta.camel.cfg", "http.host", "127.0.0.1"),
            editConfigurationFilePut("etc/io.rosetta.camel.cfg", "https.port", Integer.toString(freePort())),
            editConfigurationFilePut("etc/system.properties", "rosetta.admin.password", ADMIN_PASSWORD),
            karafModuleOptions(),
            mavenBundle("net.bytebuddy", "byte-buddy", System.getProperty("byte-buddy.version")),
            mavenBundle("org.assertj", "assertj-core", System.getProperty("assertj.version")),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            mavenBundle("org.hamcrest", "hamcrest", System.getProperty("hamcrest.version")),
        };
    }

    /**
     * The module options that the distribution's {@code bin/karaf} gives the JVM on Java 9 and later, which Pax Exam's
     * container does not add: the JAXP factory lookup of {@code lib/endorsed} (patched into {@code java.xml}) finds
     * implementations through the locator patched into {@code java.base}, so the container runs like the distribution
     * and does not log a {@code NoClassDefFoundError} for {@code OsgiLocator}. Karaf's version is the build's.
     */
    static Option karafModuleOptions() {
        String karaf = System.getProperty("karaf.version");
        assertThat(karaf).as("the karaf.version system property (integration-tests/pom.xml)").isNotBlank();
        return vmOptions(
                "--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karaf + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karaf + ".jar");
    }

    /**
     * The distribution's own featuresBoot (stages and versions as the assembly wrote them: a feature that boot features
     * need before they can be downloaded, such as {@code wrap} for {@code wrap:} URLs, gets a stage of its own), without
     * the virtual binding.
     */
    static String bootFeaturesWithoutVirtualBinding() throws IOException {
        File featuresCfg = new File(System.getProperty("rosetta.distribution.features.cfg", ""));
        assertThat(featuresCfg).as("etc/org.apache.karaf.features.cfg of the built distribution").isFile();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(featuresCfg.toPath(), StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        }
        String boot = properties.getProperty("featuresBoot", "");
        String withoutVirtual = Arrays.stream(boot.split(","))
                .map(String::trim)
                .filter(feature -> !feature.isEmpty() && !feature.startsWith(VIRTUAL_BINDING))
                .collect(Collectors.joining(", "));
        assertThat(withoutVirtual).as("featuresBoot of the distribution").contains("rosetta/").isNotEqualTo(boot);
        return withoutVirtual;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Runs a shell command as the administrator and returns what it printed (and its result, if any). */
    protected String executeCommand(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(ADMIN));
        for (String role : ADMIN_ROLES) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out);
        try {
            Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            if (result != null) {
                out.println(result);
            }
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The HTTP port the Camel runtime was configured with. */
    protected int httpPort() throws IOException {
        Dictionary<String, Object> properties = configurationAdmin.getConfiguration("io.rosetta.camel", null).getProperties();
        assertThat(properties).as("configuration io.rosetta.camel").isNotNull();
        return Integer.parseInt(String.valueOf(properties.get("http.port")));
    }

    /** GET with the administrator's credentials. */
    protected HttpResponse<String> get(String pathAndQuery) throws Exception {
        return get(pathAndQuery, ADMIN, ADMIN_PASSWORD);
    }

    protected HttpResponse<String> get(String pathAndQuery, String user, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + pathAndQuery))
                .header("Authorization", "Basic " + credentials)
                .timeout(Duration.ofSeconds(10))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Waits until the HTTP API answers and the rosetta shell commands are registered. */
    protected void awaitReady() {
        Awaitility.await("the HTTP API answers an authenticated request").atMost(BOOT_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> get("/api/2/things?ids=readiness:probe").statusCode() == 200);
        Awaitility.await("the rosetta shell commands are registered").atMost(BOOT_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> executeCommand("rosetta:things --limit 1") != null);
    }
}
