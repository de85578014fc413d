package dev.bhatti.cli;

import dev.bhatti.server.Daemon;
import dev.bhatti.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real in-process daemon (real engine, real VMs) and the real {@code bin/bhatti} launcher run
 * as a subprocess against it, with its home in the test dir. For {@code *IT} tests, which run
 * after {@code package} has built the shaded jar that the launcher starts.
 */
public final class CliFixture implements AutoCloseable {
    /** The repository root (failsafe runs in the module dir). */
    public static final Path REPO = Path.of("").toAbsolutePath().getParent();
    public static final Path LAUNCHER = REPO.resolve("bin/bhatti");

    public final Path dir;
    public final Daemon daemon;
    public final String token;
    /** Every $HOME a run had: each may have a resident helper ({@code bin/bhatti} starts one) to stop. */
    private final java.util.Set<String> homes = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** What one run of the CLI did. */
    public record Run(int exit, String out, String err) {}

    public CliFixture() throws IOException {
        this.dir = Files.createTempDirectory("bhatti-cli-test-");
        ServerConfig config = ServerConfig.defaults().withDataDir(dir.resolve("data")).withListen("127.0.0.1:0")
                .withClientConfig(dir.resolve("client.yaml")).withRateScale(100).withImageSnapshots(false);
        this.daemon = Daemon.start(config);
        this.token = Files.readAllLines(config.clientConfig()).stream().filter(l -> l.startsWith("auth_token: "))
                .map(l -> l.substring("auth_token: ".length())).findFirst().orElseThrow();
    }

    public String url() {
        return "http://127.0.0.1:" + daemon.port();
    }

    /** {@code bin/bhatti args...} with this daemon's URL and the admin token, stdin empty. */
    public Run bhatti(String... args) throws IOException, InterruptedException {
        return run(Path.of("/dev/null"), token, args);
    }

    /**
     * {@code bin/bhatti} with {@code --url} and {@code --token} added before any {@code --}, stdin
     * from a file; a run that takes over 3 minutes is killed and fails the test.
     */
    public Run run(Path stdin, String tok, String... args) throws IOException, InterruptedException {
        return launch(stdin, withEndpoint(tok, args));
    }

    /** {@code bin/bhatti} with exactly these arguments (no endpoint flags added). */
    public Run launch(Path stdin, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(args);
        return start(stdin, command);
    }

    /**
     * {@code bin/bhatti} with exactly these arguments and this environment on top of the test's
     * (no endpoint flags, no {@code user.home} override, {@code BHATTI_*} cleared first).
     */
    public Run launchWithEnv(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return start(Path.of("/dev/null"), command, pb -> {
            pb.environment().keySet().removeIf(k -> k.startsWith("BHATTI_"));
            pb.environment().putAll(env);
        });
    }

    /**
     * Like {@link #bhatti} but on a pseudo-terminal (util-linux {@code script}): {@code out} is all the
     * terminal showed, stdout and stderr together, with {@code \r\n} line ends.
     */
    public Run onTerminal(String... args) throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder(LAUNCHER.toString());
        withEndpoint(token, args).forEach(a -> line.append(" '").append(a.replace("'", "'\\''")).append('\''));
        return start(Path.of("/dev/null"), List.of("script", "-qefc", line.toString(), "/dev/null"));
    }

    /** One line of a CLI's stdout and when it arrived, in ms since the process started. */
    public record TimedLine(long millis, String line) {}

    /** What a run printed line by line, each stamped on arrival, and when the process exited. */
    public record TimedRun(int exit, List<TimedLine> lines, long exitMillis) {}

    /**
     * Like {@link #run} but reads stdout as it comes and stamps every line, to test when output
     * arrives, not only what arrives. stderr is discarded.
     */
    public TimedRun timed(String tok, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(withEndpoint(tok, args));
        ProcessBuilder pb = environment(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
        long start = System.nanoTime();
        homes.add(pb.environment().get("HOME"));
        Process p = pb.start();
        List<TimedLine> lines = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(new TimedLine((System.nanoTime() - start) / 1_000_000, line));
            }
        }
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " hung");
        }
        return new TimedRun(p.exitValue(), lines, (System.nanoTime() - start) / 1_000_000);
    }

    private ProcessBuilder environment(ProcessBuilder pb) {
        // the CLI's home is the test dir; BHATTI_URL/TOKEN from the outer environment must not leak in
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("BHATTI_JAVA_OPTS", "-Duser.home=" + dir);
        pb.environment().remove("BHATTI_URL");
        pb.environment().remove("BHATTI_TOKEN");
        return pb;
    }

    private List<String> withEndpoint(String tok, String... args) {
        List<String> rest = List.of(args);
        int dashes = rest.contains("--") ? rest.indexOf("--") : rest.size();
        List<String> command = new ArrayList<>(rest.subList(0, dashes));
        command.addAll(List.of("--url", url(), "--token", tok));
        command.addAll(rest.subList(dashes, rest.size()));
        return command;
    }

    private Run start(Path stdin, List<String> command) throws IOException, InterruptedException {
        return start(stdin, command, this::environment);
    }

    private Run start(Path stdin, List<String> command, java.util.function.Consumer<ProcessBuilder> env)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
        env.accept(pb);
        homes.add(pb.environment().get("HOME"));
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Stops the helpers of every $HOME the runs had (waits for their processes), then the daemon. */
    @Override
    public void close() {
        for (String home : homes) {
            stopHelper(home);
        }
        daemon.close();
    }

    /** {@code bin/bhatti helper stop} for {@code home}: returns once that helper's process has ended. */
    public static void stopHelper(String home) {
        if (home == null || !Files.exists(Path.of(home, ".bhatti", "helper.sock"))) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "helper", "stop")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("HOME", home);
            pb.environment().put("BHATTI_JAVA_OPTS", "-Duser.home=" + home);
            Process p = pb.start();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
