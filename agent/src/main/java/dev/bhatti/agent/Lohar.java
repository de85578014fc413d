package dev.bhatti.agent;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import dev.bhatti.agent.files.Owner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * lohar, the guest agent. {@code lohar test-mode --control-socket P --forward-socket P [--token T]
 * [--workspace D] [--init CMD] [--env K=V]... [--auth-timeout-ms N] [--exited-retention-ms N]
 * [--max-connections N] [--max-sessions N] [--owner UID:GID] [--no-sync]} serves the whole protocol on two Unix
 * sockets and prints one readiness line; socket paths and token may also come from
 * {@code LOHAR_CONTROL_SOCKET}, {@code LOHAR_FORWARD_SOCKET}, {@code LOHAR_TOKEN}.
 */
public final class Lohar {
    /** The line printed once both listeners accept connections. */
    public static final String READY = "lohar ready";

    private Lohar() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("missing mode");
        }
        switch (args[0]) {
            case "test-mode" -> runTestMode(parseFlags(args));
            default -> usage("unknown mode " + args[0]);
        }
    }

    private static void runTestMode(Map<String, String> flags) throws IOException, InterruptedException {
        AgentOptions options = testModeOptions(flags);
        AgentServer server = AgentServer.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                System.err.println("lohar: shutdown: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println(READY + " control=" + server.controlAddress() + " forward=" + server.forwardAddress());
        System.out.flush();
        stopped.await();
    }

    static AgentOptions testModeOptions(Map<String, String> flags) {
        String control = flag(flags, "control-socket", "LOHAR_CONTROL_SOCKET");
        String forward = flag(flags, "forward-socket", "LOHAR_FORWARD_SOCKET");
        Path workspace = Path.of(flags.getOrDefault("workspace", System.getProperty("user.dir")));
        AgentOptions options = AgentOptions.defaults(UnixDomainSocketAddress.of(control),
                UnixDomainSocketAddress.of(forward), workspace);
        String token = flags.getOrDefault("token", System.getenv("LOHAR_TOKEN"));
        if (token != null && !token.isEmpty()) {
            options = options.withToken(token);
        }
        options = options.withEnv(envFlags(flags)).withInit(flags.get("init"))
                .withLimits(millis(flags, "auth-timeout-ms", options.authTimeout()),
                        Integer.parseInt(flags.getOrDefault("max-connections", "" + options.maxConnections())),
                        Integer.parseInt(flags.getOrDefault("max-sessions", "" + options.maxSessions())),
                        millis(flags, "exited-retention-ms", options.exitedRetention()));
        String owner = flags.get("owner");
        if (owner != null) {
            String[] ids = owner.split(":");
            if (ids.length != 2) {
                usage("--owner needs uid:gid, got " + owner);
            }
            options = options.withIdentity(List.of(), new Owner(Integer.parseInt(ids[0]), Integer.parseInt(ids[1])));
        }
        return options.withSync(!flags.containsKey("no-sync"));
    }

    private static Map<String, String> envFlags(Map<String, String> flags) {
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

    private static String flag(Map<String, String> flags, String name, String envName) {
        String v = flags.getOrDefault(name, System.getenv(envName));
        if (v == null || v.isEmpty()) {
            usage("--" + name + " (or $" + envName + ") is required");
        }
        return v;
    }

    /** Parses {@code --name value} and bare {@code --name} flags; repeated {@code --env} values are joined. */
    static Map<String, String> parseFlags(String[] args) {
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

    private static void usage(String problem) {
        System.err.println("lohar: " + problem);
        System.err.println("usage: lohar test-mode --control-socket PATH --forward-socket PATH [--token T] "
                + "[--workspace DIR] [--init CMD] [--env K=V]...");
        System.exit(2);
    }
}
