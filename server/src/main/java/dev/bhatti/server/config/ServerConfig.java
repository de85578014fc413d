package dev.bhatti.server.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.bhatti.api.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The daemon's configuration, parsed once: {@code /etc/bhatti/config.yaml} or {@code $BHATTI_SERVER_CONFIG},
 * then flags. Durations are seconds in the file.
 *
 * @param dataDir       state.db, age.key, sandboxes/, volumes/ (default /var/lib/bhatti)
 * @param host          listen address (default 127.0.0.1)
 * @param port          listen port (default 8080; 0 = any free port)
 * @param clientConfig  where the first start writes the admin's CLI config (default ~/.bhatti/config.yaml)
 * @param rateScale     multiplies every rate limit (1 = SPEC §4.1)
 * @param proxyZone     public preview by Host {@code <alias>.<zone>}; null (the default) serves it
 *                      by path {@code /p/<alias>/} instead
 * @param network       {@code netns} (default: a network namespace per sandbox, a veth /30 out of
 *                      {@code netns_range}, e.g. 10.213 → 10.213.0.0/16; decision 0023), {@code user}
 *                      (QEMU user-mode networking) or {@code bridge} (a bridge and a /24 per user out
 *                      of {@code bridge_range}, e.g. 10.200 → 10.200.N.0/24)
 * @param disk          the largest root disk per sandbox and the free space kept on the data dir's
 *                      filesystem (decision 0016)
 * @param imageSnapshots build the image snapshot of the default shape at start, so creates of that
 *                      shape restore it instead of booting (default true; decision 0021)
 */
public record ServerConfig(Path dataDir, String host, int port, Path clientConfig, Duration thermalInterval,
                           Duration warmAfter, Duration coldAfter, double rateScale, String proxyZone, Network network,
                           Disk disk, boolean imageSnapshots) {

    /** How sandboxes are networked (SPEC §6). */
    public record Network(NetworkMode mode, String bridgeRange, String netnsRange) {
        public static final Network DEFAULT = new Network(NetworkMode.NETNS, "10.200", "10.213");
        private static final String TWO_OCTETS = "^(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)$";

        public Network {
            Objects.requireNonNull(mode, "network mode");
            if (!bridgeRange.matches(TWO_OCTETS)) {
                throw new IllegalArgumentException("bridge_range must be the first two octets, like 10.200, got " + bridgeRange);
            }
            if (!netnsRange.matches(TWO_OCTETS)) {
                throw new IllegalArgumentException("netns_range must be the first two octets, like 10.213, got " + netnsRange);
            }
        }

        public Network(NetworkMode mode, String bridgeRange) {
            this(mode, bridgeRange, DEFAULT.netnsRange());
        }

        /** The config file's {@code network} value: {@code user} or {@code bridge}. */
        public static NetworkMode mode(String wire) {
            return Arrays.stream(NetworkMode.values()).filter(m -> m.wire().equals(wire)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("network must be netns, user or bridge, got " + wire));
        }

        public boolean bridge() {
            return mode == NetworkMode.BRIDGE;
        }
    }

    /**
     * Disk limits of the host: {@code max_root_disk_mb} per sandbox (default 51200 = 50 GiB), and the
     * free space a create must leave on the data dir's filesystem: the larger of
     * {@code disk_reserve_mb} (default 2048) and {@code disk_reserve_percent} of its size (default 5).
     */
    public record Disk(int maxRootDiskMb, long reserveMb, int reservePercent) {
        public static final Disk DEFAULT = new Disk(51200, 2048, 5);

        public Disk {
            if (maxRootDiskMb < 1 || maxRootDiskMb > dev.bhatti.engine.CreateSpec.MAX_DISK_MB) {
                throw new IllegalArgumentException("max_root_disk_mb must be 1.." + dev.bhatti.engine.CreateSpec.MAX_DISK_MB
                        + ", got " + maxRootDiskMb);
            }
            if (reserveMb < 0 || reservePercent < 0 || reservePercent > 100) {
                throw new IllegalArgumentException("disk_reserve_mb must be >= 0 and disk_reserve_percent 0..100, got "
                        + reserveMb + " and " + reservePercent);
            }
        }
    }

    public static final Path SYSTEM_FILE = Path.of("/etc/bhatti/config.yaml");

    public ServerConfig {
        Objects.requireNonNull(dataDir, "data_dir");
        Objects.requireNonNull(host, "listen host");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(disk, "disk");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (thermalInterval.isNegative() || thermalInterval.isZero() || warmAfter.isNegative() || coldAfter.compareTo(warmAfter) < 0) {
            throw new IllegalArgumentException("thermal intervals must be positive and cold_after >= warm_after");
        }
        if (rateScale <= 0) {
            throw new IllegalArgumentException("rate_scale must be positive");
        }
        if (proxyZone != null && !proxyZone.matches("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")) {
            throw new IllegalArgumentException("proxy_zone must be a lowercase domain name like preview.example.com, got " + proxyZone);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("/var/lib/bhatti"), "127.0.0.1", 8080,
                Path.of(System.getProperty("user.home"), ".bhatti", "config.yaml"),
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(30), 1.0, null, Network.DEFAULT, Disk.DEFAULT, true);
    }

    /** The file's fields (snake_case), all optional. */
    record FileFields(String dataDir, String listen, String clientConfig, Integer thermalIntervalSec,
                      Integer warmAfterSec, Integer coldAfterSec, Double rateScale, String proxyZone,
                      String network, String bridgeRange, String netnsRange, Integer maxRootDiskMb, Long diskReserveMb,
                      Integer diskReservePercent, Boolean imageSnapshots) {}

    /** Defaults overridden by {@code file} when it exists. */
    public static ServerConfig load(Path file) throws IOException {
        ServerConfig c = defaults();
        if (file == null || !Files.exists(file)) {
            return c;
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        FileFields f = yaml.readValue(file.toFile(), FileFields.class);
        if (f == null) {
            return c;
        }
        if (f.listen() != null) {
            c = c.withListen(f.listen());
        }
        return new ServerConfig(f.dataDir() != null ? Path.of(f.dataDir()) : c.dataDir(), c.host(), c.port(),
                f.clientConfig() != null ? Path.of(f.clientConfig()) : c.clientConfig(),
                seconds(f.thermalIntervalSec(), c.thermalInterval()), seconds(f.warmAfterSec(), c.warmAfter()),
                seconds(f.coldAfterSec(), c.coldAfter()), f.rateScale() != null ? f.rateScale() : c.rateScale(),
                f.proxyZone() != null && !f.proxyZone().isBlank() ? f.proxyZone() : c.proxyZone(),
                new Network(f.network() != null ? Network.mode(f.network()) : c.network().mode(),
                        f.bridgeRange() != null ? f.bridgeRange() : c.network().bridgeRange(),
                        f.netnsRange() != null ? f.netnsRange() : c.network().netnsRange()),
                new Disk(f.maxRootDiskMb() != null ? f.maxRootDiskMb() : c.disk().maxRootDiskMb(),
                        f.diskReserveMb() != null ? f.diskReserveMb() : c.disk().reserveMb(),
                        f.diskReservePercent() != null ? f.diskReservePercent() : c.disk().reservePercent()),
                f.imageSnapshots() != null ? f.imageSnapshots() : c.imageSnapshots());
    }

    /** {@code host:port} or {@code :port}. */
    public ServerConfig withListen(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("listen must be host:port or :port, got " + listen);
        }
        String h = colon == 0 ? host : listen.substring(0, colon);
        int p;
        try {
            p = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen port must be a number, got " + listen);
        }
        return new ServerConfig(dataDir, h, p, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, network, disk, imageSnapshots);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(dir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, network, disk, imageSnapshots);
    }

    public ServerConfig withClientConfig(Path file) {
        return new ServerConfig(dataDir, host, port, file, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, network, disk, imageSnapshots);
    }

    public ServerConfig withThermal(Duration interval, Duration warm, Duration cold) {
        return new ServerConfig(dataDir, host, port, clientConfig, interval, warm, cold,
                rateScale, proxyZone, network, disk, imageSnapshots);
    }

    public ServerConfig withRateScale(double scale) {
        return new ServerConfig(dataDir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                scale, proxyZone, network, disk, imageSnapshots);
    }

    public ServerConfig withProxyZone(String zone) {
        return new ServerConfig(dataDir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, zone, network, disk, imageSnapshots);
    }

    public ServerConfig withNetwork(Network n) {
        return new ServerConfig(dataDir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, n, disk, imageSnapshots);
    }

    public ServerConfig withImageSnapshots(boolean on) {
        return new ServerConfig(dataDir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, network, disk, on);
    }

    public ServerConfig withDisk(Disk d) {
        return new ServerConfig(dataDir, host, port, clientConfig, thermalInterval, warmAfter, coldAfter,
                rateScale, proxyZone, network, d, imageSnapshots);
    }

    private static Duration seconds(Integer v, Duration fallback) {
        return v == null ? fallback : Duration.ofSeconds(v);
    }
}
