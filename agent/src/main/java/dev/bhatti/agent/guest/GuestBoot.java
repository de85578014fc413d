package dev.bhatti.agent.guest;

import dev.bhatti.agent.AgentOptions;
import dev.bhatti.agent.config.AgentConfig;
import dev.bhatti.agent.config.ConfigDrive;
import dev.bhatti.agent.config.GuestSetup;
import dev.bhatti.agent.files.Owner;
import dev.bhatti.agent.posix.GuestSystem;
import dev.bhatti.agent.posix.ThreadCredentials;
import dev.bhatti.proto.Wire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest-mode duties before lohar serves (SPEC §2.1): mounts the init has not
 * done, reads the config drive (then unmounts it, so secrets do not stay
 * mounted), applies hostname, resolv.conf and files, mounts volumes, and
 * answers the options lohar serves with: TCP :1024/:1025, the sandbox's token,
 * the config env and init, children run as lohar (uid 1000).
 */
public final class GuestBoot {
    private static final Logger log = LoggerFactory.getLogger(GuestBoot.class);
    /** The guest user. */
    public static final Owner LOHAR = new Owner(1000, 1000);
    /** Who commands run as unless a request asks for root. */
    static final Optional<ThreadCredentials.Ids> RUN_AS_LOHAR = Optional.of(new ThreadCredentials.Ids(LOHAR.uid(), LOHAR.gid()));

    private record Mount(String source, String target, String type, String data) {}

    private static final List<Mount> BASE_MOUNTS = List.of(
            new Mount("proc", "/proc", "proc", null),
            new Mount("sysfs", "/sys", "sysfs", null),
            new Mount("devtmpfs", "/dev", "devtmpfs", null),
            new Mount("devpts", "/dev/pts", "devpts", "newinstance,ptmxmode=0666,gid=5,mode=620"),
            new Mount("tmpfs", "/tmp", "tmpfs", "mode=1777"),
            new Mount("tmpfs", "/run", "tmpfs", "mode=0755"),
            new Mount("tmpfs", "/dev/shm", "tmpfs", "mode=1777"),
            new Mount("cgroup2", "/sys/fs/cgroup", "cgroup2", null));

    private final Path configDevice;
    private final Path configMount;

    public GuestBoot(Path configDevice, Path configMount) {
        this.configDevice = configDevice;
        this.configMount = configMount;
    }

    public AgentOptions boot() throws IOException {
        ensureBaseMounts();
        AgentConfig config = readConfigDrive();
        GuestSetup.Report report = new GuestSetup(Path.of("/"), Optional.of(LOHAR)).apply(config);
        report.skipped().forEach(s -> log.warn("event=config_entry_skipped path={} reason=\"{}\"", s.path(), s.reason()));
        if (config.hostname() != null && !config.hostname().isBlank()) {
            GuestSystem.setHostname(config.hostname());
        }
        GuestVolumes.mountAtBoot(config.volumes(), LOHAR);
        Path workspace = Files.createDirectories(Path.of("/workspace"));
        AgentOptions options = AgentOptions.defaults(new InetSocketAddress(Wire.CONTROL_PORT),
                new InetSocketAddress(Wire.FORWARD_PORT), workspace)
                .withEnv(config.env()).withInit(config.init()).withIdentity(RUN_AS_LOHAR, LOHAR).withClockOwnership()
                .withIdentityRoot(Path.of("/"));
        log.info("event=guest_configured sandbox={} files={} volumes={}", config.sandboxId(),
                report.applied().size(), config.volumes().size());
        return config.token() == null || config.token().isEmpty() ? options : options.withToken(config.token());
    }

    private static void ensureBaseMounts() throws IOException {
        Set<String> mounted = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(l -> l.split(" ")[1]).collect(Collectors.toSet());
        for (Mount m : BASE_MOUNTS) {
            if (!mounted.contains(m.target())) {
                Files.createDirectories(Path.of(m.target()));
                GuestSystem.mount(m.source(), m.target(), m.type(), 0, m.data());
                log.info("event=mounted target={} type={}", m.target(), m.type());
            }
        }
    }

    private AgentConfig readConfigDrive() throws IOException {
        Files.createDirectories(configMount);
        GuestSystem.mount(configDevice.toString(), configMount.toString(), "ext4", GuestSystem.READ_ONLY, null);
        try {
            return ConfigDrive.read(configMount.resolve("config.json"));
        } finally {
            GuestSystem.unmount(configMount.toString());
        }
    }
}
