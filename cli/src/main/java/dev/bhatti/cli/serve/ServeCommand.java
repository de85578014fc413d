package dev.bhatti.cli.serve;

import ch.qos.logback.classic.Level;
import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bhatti serve}: runs the daemon until SIGTERM/SIGINT, then shuts down gracefully (every
 * running sandbox snapshotted to disk). Configuration: {@code --config}, else {@code $BHATTI_SERVER_CONFIG},
 * else {@code /etc/bhatti/config.yaml}; flags win over the file.
 */
@Command(name = "serve", description = "Run the bhatti daemon (HTTP API, VM engine, thermal manager).",
        mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $BHATTI_SERVER_CONFIG or /etc/bhatti/config.yaml).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default /var/lib/bhatti).")
    Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Listen address (default 127.0.0.1:8080).")
    String listen;

    @Override
    public Integer call() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.bhatti")).setLevel(Level.INFO);
        ServerConfig c = ServerConfig.load(configFile());
        if (dataDir != null) {
            c = c.withDataDir(dataDir);
        }
        if (listen != null) {
            c = c.withListen(listen);
        }
        Daemon daemon = Daemon.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.shutdown();
            stopped.countDown();
        }, "bhatti-shutdown"));
        System.out.println("bhatti " + Daemon.VERSION + " listening on http://" + c.host() + ":" + daemon.port()
                + " (data dir " + c.dataDir() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Path configFile() {
        if (config != null) {
            return config;
        }
        String env = System.getenv("BHATTI_SERVER_CONFIG");
        return env != null && !env.isEmpty() ? Path.of(env) : ServerConfig.SYSTEM_FILE;
    }
}
