package dev.bhatti.agent;

import dev.bhatti.agent.files.Owner;
import dev.bhatti.agent.posix.ThreadCredentials;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test-mode flags: {@code --control-socket P --forward-socket P [--token T] [--workspace D]
 * [--init CMD] [--env K=V]... [--auth-timeout-ms N] [--exited-retention-ms N] [--max-connections N]
 * [--pending-timeout-ms N] [--max-pending N] [--max-sessions N] [--owner UID:GID] [--run-as UID:GID] [--identity-root DIR]}; socket paths and token may also come from
 * {@code LOHAR_CONTROL_SOCKET}, {@code LOHAR_FORWARD_SOCKET}, {@code LOHAR_TOKEN}.
 */
final class TestModeFlags {
    private TestModeFlags() {}

    static AgentOptions options(Map<String, String> flags) {
        String control = required(flags, "control-socket", "LOHAR_CONTROL_SOCKET");
        String forward = required(flags, "forward-socket", "LOHAR_FORWARD_SOCKET");
        Path workspace = Path.of(flags.getOrDefault("workspace", System.getProperty("user.dir")));
        AgentOptions options = AgentOptions.defaults(UnixDomainSocketAddress.of(control),
                UnixDomainSocketAddress.of(forward), workspace);
        String token = flags.getOrDefault("token", System.getenv("LOHAR_TOKEN"));
        if (token != null && !token.isEmpty()) {
            options = options.withToken(token);
        }
        options = options.withEnv(env(flags)).withInit(flags.get("init"))
                .withLimits(millis(flags, "auth-timeout-ms", options.authTimeout()),
                        integer(flags, "max-connections", options.maxConnections()),
                        integer(flags, "max-sessions", options.maxSessions()),
                        millis(flags, "exited-retention-ms", options.exitedRetention()));
        options = options.withAdmission(millis(flags, "pending-timeout-ms", options.pendingTimeout()),
                integer(flags, "max-pending", options.maxPending()));
        Optional<ThreadCredentials.Ids> runAs = Optional.ofNullable(flags.get("run-as")).map(v -> ids("run-as", v));
        String owner = flags.get("owner");
        if (owner != null || runAs.isPresent()) {
            ThreadCredentials.Ids files = owner == null ? runAs.get() : ids("owner", owner);
            options = options.withIdentity(runAs, new Owner(files.uid(), files.gid()));
        }
        if (flags.containsKey("identity-root")) {
            options = options.withIdentityRoot(Path.of(flags.get("identity-root")));
        }
        return options;
    }

    private static ThreadCredentials.Ids ids(String flag, String value) {
        String[] ids = value.split(":");
        if (ids.length != 2) {
            usage("--" + flag + " needs uid:gid, got " + value);
        }
        return new ThreadCredentials.Ids(Integer.parseInt(ids[0]), Integer.parseInt(ids[1]));
    }

    private static Map<String, String> env(Map<String, String> flags) {
        Map<String, String> env = new HashMap<>();
        String all = flags.get("env");
        if (all != null) {
            for (String pair : all.split("\n")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    usage("--env needs K=V, got " + pair);
                }
                env.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return env;
    }

    private static Duration millis(Map<String, String> flags, String name, Duration fallback) {
        String v = flags.get(name);
        return v == null ? fallback : Duration.ofMillis(Long.parseLong(v));
    }

    private static int integer(Map<String, String> flags, String name, int fallback) {
        String v = flags.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    private static String required(Map<String, String> flags, String name, String envName) {
        String v = flags.getOrDefault(name, System.getenv(envName));
        if (v == null || v.isEmpty()) {
            usage("--" + name + " (or $" + envName + ") is required");
        }
        return v;
    }

    /** Parses {@code --name value} and bare {@code --name} flags after the mode; repeated values are joined by newlines. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                usage("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            boolean bare = i + 1 >= args.length || args[i + 1].startsWith("--");
            String value = bare ? "" : args[++i];
            flags.merge(name, value, (a, b) -> a + "\n" + b);
        }
        return flags;
    }

    static void usage(String problem) {
        System.err.println("lohar: " + problem);
        System.err.println("usage: lohar guest [--config-device DEV]");
        System.err.println("       lohar test-mode --control-socket PATH --forward-socket PATH [--token T] "
                + "[--workspace DIR] [--init CMD] [--env K=V]... [--owner UID:GID] [--run-as UID:GID] [--identity-root DIR]");
        System.err.println("       lohar self-test");
        System.exit(2);
    }
}
