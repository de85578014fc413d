package dev.bhatti.agent.config;

import dev.bhatti.agent.files.FileService;
import dev.bhatti.agent.files.Owner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a config to the guest file system under {@code root} ({@code /} in the VM, a temp
 * directory in tests): {@code etc/hostname}, {@code etc/resolv.conf} (when {@code dns} is
 * given) and every {@code files} entry, path taken relative to {@code root}, parents created
 * 0755, mode from the entry (default 0644), chowned to the owner when one is given. A bad
 * entry is skipped with a log line and the rest continues; {@link #apply} reports both.
 *
 * <p>VM-only duties come with the guest image and are not done here: sethostname(2),
 * mounting volumes (the data stays in {@link AgentConfig#volumes()}), unmounting the drive.
 * The env map is left for the agent to merge into its exec environment.
 */
public final class GuestSetup {
    private static final Logger log = LoggerFactory.getLogger(GuestSetup.class);
    private static final Pattern HOSTNAME =
            Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final String HOSTNAME_PATH = "/etc/hostname";
    static final String RESOLV_CONF_PATH = "/etc/resolv.conf";

    private final Path root;
    private final Optional<Owner> owner;

    /** What {@link #apply} did: guest paths written, and entries skipped with the reason. */
    public record Report(List<String> applied, List<Skipped> skipped) {
        public Report {
            applied = List.copyOf(applied);
            skipped = List.copyOf(skipped);
        }

        /** One entry that was not applied. */
        public record Skipped(String path, String reason) {}
    }

    /**
     * @param root  directory the guest paths are relative to
     * @param owner uid:gid of the {@code files} entries and the directories created for them
     */
    public GuestSetup(Path root, Optional<Owner> owner) {
        this.root = root.toAbsolutePath().normalize();
        this.owner = owner;
    }

    /** Writes hostname, resolv.conf and files; never throws for a bad entry. */
    public Report apply(AgentConfig config) {
        List<String> applied = new ArrayList<>();
        List<Report.Skipped> skipped = new ArrayList<>();
        Outcome outcome = new Outcome(applied, skipped);
        if (config.hostname() != null) {
            writeHostname(config.hostname(), outcome);
        }
        if (!config.dns().isEmpty()) {
            writeResolvConf(config.dns(), outcome);
        }
        for (Map.Entry<String, AgentConfig.FileEntry> e : config.files().entrySet()) {
            writeEntry(e.getKey(), e.getValue(), outcome);
        }
        return new Report(applied, skipped);
    }

    private record Outcome(List<String> applied, List<Report.Skipped> skipped) {
        void skip(String path, String reason) {
            log.warn("event=config_file_skipped path={} reason=\"{}\"", path, reason);
            skipped.add(new Report.Skipped(path, reason));
        }

        void done(String path, int mode) {
            log.info("event=config_file_written path={} mode={}", path, String.format("%04o", mode));
            applied.add(path);
        }
    }

    private void writeHostname(String hostname, Outcome outcome) {
        if (!HOSTNAME.matcher(hostname).matches()) {
            outcome.skip(HOSTNAME_PATH, "invalid hostname \"" + hostname + "\"");
            return;
        }
        writeSystemFile(HOSTNAME_PATH, hostname + "\n", outcome);
    }

    private void writeResolvConf(List<String> dns, Outcome outcome) {
        StringBuilder conf = new StringBuilder();
        for (String server : dns) {
            try {
                String address = InetAddress.ofLiteral(server).getHostAddress();
                conf.append("nameserver ").append(address).append('\n');
            } catch (IllegalArgumentException e) {
                outcome.skip(RESOLV_CONF_PATH, "invalid nameserver address \"" + server + "\"");
            }
        }
        if (!conf.isEmpty()) {
            writeSystemFile(RESOLV_CONF_PATH, conf.toString(), outcome);
        }
    }

    /** A root-owned 0644 file. */
    private void writeSystemFile(String guestPath, String content, Outcome outcome) {
        try {
            FileService.install(underRoot(guestPath), content.getBytes(StandardCharsets.UTF_8), 0644, Optional.empty());
            outcome.done(guestPath, 0644);
        } catch (IOException | IllegalArgumentException e) {
            outcome.skip(guestPath, e.getMessage());
        }
    }

    private void writeEntry(String guestPath, AgentConfig.FileEntry entry, Outcome outcome) {
        try {
            Path target = underRoot(guestPath);
            int mode = ConfigFiles.mode(entry.mode());
            byte[] content = ConfigFiles.content(entry.content());
            FileService.install(target, content, mode, owner);
            outcome.done(guestPath, mode);
        } catch (IllegalArgumentException e) {
            outcome.skip(guestPath, e.getMessage());
        } catch (IOException e) {
            outcome.skip(guestPath, "write failed: " + e.getMessage());
        }
    }

    private Path underRoot(String guestPath) {
        return ConfigFiles.underRoot(root, guestPath);
    }
}
