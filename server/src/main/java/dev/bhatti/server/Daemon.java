package dev.bhatti.server;

import dev.bhatti.engine.Engine;
import dev.bhatti.engine.qemu.GuestImages;
import dev.bhatti.engine.net.BridgeNetwork;
import dev.bhatti.engine.net.HostCommands;
import dev.bhatti.engine.qemu.NetworkMode;
import dev.bhatti.engine.qemu.QemuEngine;
import dev.bhatti.server.api.ApiContext;
import dev.bhatti.server.api.ApiServer;
import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.datadir.DataDirPermissions;
import dev.bhatti.server.events.EventLog;
import dev.bhatti.server.events.ObservedEngine;
import dev.bhatti.server.metrics.Metrics;
import dev.bhatti.server.recovery.RecoveryReport;
import dev.bhatti.server.thermal.ActivityCache;
import dev.bhatti.server.thermal.ThermalConfig;
import dev.bhatti.server.thermal.ThermalManager;
import dev.bhatti.server.sandbox.Creation;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.sandbox.SecretEnv;
import dev.bhatti.server.secrets.SecretBox;
import dev.bhatti.server.storage.FreeSpace;
import dev.bhatti.server.storage.StorageQuota;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.Store;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import dev.bhatti.server.volume.Volumes;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bhatti serve}: wires the object graph with constructors — store, secrets, users, engine,
 * sandboxes, volumes, API — and owns its lifecycle. The first start on an empty store creates the
 * {@code admin} user and writes its key to the CLI config ({@link FirstStart}).
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    public static final String VERSION = "0.1.0";

    private final ServerConfig config;
    private final Store store;
    private final Users users;
    private final Engine engine;
    private final ApiServer api;
    private final Instant startedAt;
    private final ActivityCache activity;
    private final ThermalManager thermal;
    private final Sandboxes sandboxes;
    private final Engine observed;
    private final EventLog events;
    private final Metrics metrics;
    private final dev.bhatti.server.e2b.E2bLifetimes e2bLifetimes;
    private volatile boolean closed;
    private RecoveryReport recovery;

    private Daemon(ServerConfig config, Engine engine, long imageMb) throws IOException {
        this.config = config;
        this.startedAt = Instant.now();
        Clock clock = Clock.systemUTC();
        DataDirPermissions.secure(config.dataDir());
        SecretBox secrets = SecretBox.open(config.dataDir().resolve("age.key"));
        this.store = SqliteStore.open(config.dataDir(), secrets);
        this.users = new Users(store, new ApiKeys(), clock);
        this.engine = engine;
        this.events = new EventLog(store::sandboxById, clock);
        Engine observed = new ObservedEngine(engine, events, store::sandboxById);
        this.observed = observed;
        this.metrics = new Metrics(observed, store);
        events.listen(metrics::event);
        StorageQuota quota = new StorageQuota(store, FreeSpace.of(config.dataDir()), config.disk(), imageMb);
        Volumes volumes = new Volumes(store, config.dataDir(), quota, clock);
        Creation creation = new Creation(store, observed, new SecretEnv(store, secrets), volumes, quota, clock);
        this.activity = new ActivityCache(clock);
        Sandboxes sandboxes = new Sandboxes(store, observed, creation, activity::touch, activity::hold, clock);
        this.sandboxes = sandboxes;
        this.e2bLifetimes = new dev.bhatti.server.e2b.E2bLifetimes(store, sandboxes, clock);
        this.thermal = new ThermalManager(observed, new StoreThermalTargets(store, observed), activity,
                new ThermalConfig(config.thermalInterval(), config.warmAfter(), config.coldAfter()), clock);
        ApiContext context = new ApiContext(VERSION, store, users, sandboxes, volumes, secrets,
                () -> health(sandboxes), clock, config.rateScale(), config.proxyZone(), events, metrics,
                dev.bhatti.server.e2b.E2bTokens.open(config.dataDir().resolve("e2b.key")), e2bLifetimes);
        this.api = new ApiServer(context, config.host(), config.port());
    }

    /** Starts the daemon on the real QEMU engine with the cached guest images. */
    public static Daemon start(ServerConfig config) throws IOException {
        GuestImages images = GuestImages.fromCache();
        Engine engine = new QemuEngine(config.dataDir(), images, switch (config.network().mode()) {
            case BRIDGE -> NetworkMode.bridge(new BridgeNetwork(HostCommands.local(), config.network().bridgeRange()));
            case USER -> NetworkMode.user();
            case NETNS -> NetworkMode.netns(new dev.bhatti.engine.net.SandboxNetworks(HostCommands.local(),
                    config.network().netnsRange(), config.dataDir()));
        });
        try {
            Daemon d = new Daemon(config, engine, Math.ceilDiv(Files.size(images.rootfs()), 1L << 20));
            // Policies first: a namespace rebuilt while recovering a sandbox gets its policy at once.
            d.sandboxes.egress().restore(d.store.allSandboxes());
            d.recovery = dev.bhatti.server.events.Cause.RECOVERY.get(() -> Startup.recover(d.store, d.observed, config.dataDir()));
            d.api.start();
            d.thermal.start();
            d.e2bLifetimes.start();
            FirstStart.ensureAdmin(d.users, config, d.port());
            log.info("event=daemon_started version={} data_dir={} port={}", VERSION, config.dataDir(), d.port());
            if (config.imageSnapshots() && !config.network().bridge() && engine instanceof QemuEngine qemu) {
                Thread.ofVirtual().name("image-snapshot").start(() -> buildImageSnapshot(qemu));
            }
            return d;
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The default shape's image snapshot (decision 0021), in the background; a failure leaves creates booting. */
    private static void buildImageSnapshot(QemuEngine engine) {
        try {
            engine.prepareImageSnapshot(dev.bhatti.server.sandbox.Creation.DEFAULT_CPUS,
                    dev.bhatti.server.sandbox.Creation.DEFAULT_MEMORY_MB);
        } catch (IOException | RuntimeException e) {
            log.warn("event=image_snapshot_failed error=\"{}\"", e.getMessage());
        }
    }

    public int port() {
        return api.port();
    }

    /** The engine under the API (benchmarks compare the API against it). */
    public Engine engine() {
        return engine;
    }

    /** What start-up recovery did. */
    public RecoveryReport recovery() {
        return recovery;
    }

    public ServerConfig config() {
        return config;
    }

    private Map<String, Object> health(Sandboxes sandboxes) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", "ok");
        h.put("sandboxes", sandboxes.count());
        h.put("uptime", uptime(Duration.between(startedAt, Instant.now())));
        h.put("version", VERSION);
        return h;
    }

    static String uptime(Duration d) {
        return d.toHours() + "h" + d.toMinutesPart() + "m" + d.toSecondsPart() + "s";
    }

    /**
     * Graceful shutdown (SPEC §7): stop accepting requests, snapshot every running sandbox to disk
     * and record it as stopped, then end. Idempotent.
     */
    public void shutdown() {
        if (closed) {
            return;
        }
        events.close();
        e2bLifetimes.close();
        api.close();
        thermal.close();
        Shutdown.snapshotAll(observed, store);
        close();
    }

    /** Stops the API and the VMMs without snapshots (abrupt stop; graceful shutdown snapshots first). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        e2bLifetimes.close();
        api.close();
        thermal.close();
        sandboxes.close();
        engine.close();
        store.close();
    }
}
