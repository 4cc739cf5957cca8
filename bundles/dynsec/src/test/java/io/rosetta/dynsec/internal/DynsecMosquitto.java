package io.rosetta.dynsec.internal;

import io.rosetta.core.testing.MosquittoProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of the test's own on a free port, with the dynamic security plugin (Debian's package ships it) and a fresh
 * plugin configuration made by {@code mosquitto_ctrl dynsec init}; it can be stopped and started again on the same port
 * and configuration, and is killed at the end.
 */
final class DynsecMosquitto implements AutoCloseable {

    static final Path CTRL = Path.of("/usr/bin/mosquitto_ctrl");
    /** Where Debian and Ubuntu install the plugin ({@code dpkg -L mosquitto | grep dynamic}). */
    static final List<Path> PLUGIN_PATHS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so"), Path.of("/usr/lib/mosquitto_dynamic_security.so"),
            Path.of("/usr/local/lib/mosquitto_dynamic_security.so"));
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "dynsec-admin-password";

    private final MosquittoProcess broker;

    DynsecMosquitto(Path dir) throws IOException, InterruptedException {
        Path plugin = plugin().orElseThrow(() -> new IllegalStateException("mosquitto_dynamic_security.so not found in " + PLUGIN_PATHS));
        Path config = dir.resolve("dynamic-security.json");
        Process init = new ProcessBuilder(CTRL.toString(), "dynsec", "init", config.toString(), ADMIN, ADMIN_PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("init.log").toFile()).start();
        if (!init.waitFor(20, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_ctrl dynsec init failed: " + Files.readString(dir.resolve("init.log")));
        }
        broker = new MosquittoProcess(dir, List.of("allow_anonymous false", "plugin " + plugin, "plugin_opt_config_file " + config));
    }

    static Optional<Path> plugin() {
        return PLUGIN_PATHS.stream().filter(Files::isReadable).findFirst();
    }

    static boolean available() {
        return MosquittoProcess.available() && Files.isExecutable(CTRL) && plugin().isPresent();
    }

    String url() {
        return broker.url();
    }

    void start() {
        broker.start();
    }

    /** SIGTERM, as an operator stops it; the plugin's configuration stays. */
    void stop() {
        broker.stop();
    }

    @Override
    public void close() {
        broker.close();
    }
}
