package dev.bhatti.cli.helper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.cli.CliFixture;
import dev.bhatti.cli.CliFixture.Run;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The resident helper behind the real {@code bin/bhatti} (native client, Unix socket, warm JVM)
 * against a real daemon with a real VM: calls through it behave as calls in their own JVM do, and
 * it is private, starts itself, steps aside for a rebuilt jar and stops cleanly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelperIT {
    private static final Path JAR = CliFixture.REPO.resolve("cli/target/bhatti.jar");
    private static CliFixture fx;
    private static Path socket;

    @BeforeAll
    static void startDaemonAndSandbox() throws Exception {
        fx = new CliFixture();
        socket = fx.dir.resolve(".bhatti/helper.sock");
        Run created = call(fx.dir, Map.of("BHATTI_HELPER", "0"), "create", "--name", "hlp");
        assertThat(created.exit()).as(created.err()).isZero();
        Run started = call(fx.dir, Map.of(), "helper", "start");
        assertThat(started.exit()).as(started.err()).isZero();
    }

    @AfterAll
    static void stopAll() {
        if (fx != null) {
            CliFixture.stopHelper(fx.dir.toString());
            fx.close();
        }
    }

    /** {@code bin/bhatti args} in {@code cwd} with HOME = the test dir, {@code env} on top, stdin empty. */
    private static Run call(Path cwd, Map<String, String> env, String... args) throws Exception {
        return call(cwd, Path.of("/dev/null"), env, args);
    }

    private static Run call(Path cwd, Path stdin, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CliFixture.LAUNCHER.toString()));
        command.addAll(List.of(args));
        if (!List.of(args).contains("helper")) {
            int dashes = command.contains("--") ? command.indexOf("--") : command.size();
            command.addAll(dashes, List.of("--url", fx.url(), "--token", fx.token));
        }
        Path out = Files.createTempFile(fx.dir, "out", ".txt");
        Path err = Files.createTempFile(fx.dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(stdin.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BHATTI_"));
        pb.environment().put("HOME", fx.dir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + " hung");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static long servedCalls() throws Exception {
        Run status = call(fx.dir, Map.of(), "helper", "status");
        assertThat(status.exit()).as(status.out() + status.err()).isZero();
        Matcher m = Pattern.compile("calls (\\d+)").matcher(status.out());
        assertThat(m.find()).as(status.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Polls {@code helper status} until it contains {@code text} or {@code seconds} pass; answers the last status. */
    private static String awaitStatus(String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String status = call(fx.dir, Map.of(), "helper", "status").out();
        while (!status.contains(text) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            status = call(fx.dir, Map.of(), "helper", "status").out();
        }
        return status;
    }

    private static long helperPid() throws Exception {
        Matcher m = Pattern.compile("pid (\\d+)").matcher(call(fx.dir, Map.of(), "helper", "status").out());
        assertThat(m.find()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Order(10)
    void theSocketIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        assertThat(Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).isOther())
                .as("a socket").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    @Order(20)
    void aCallThroughTheHelperPrintsAndExitsAsOneInItsOwnJvm() throws Exception {
        String[] exec = {"exec", "hlp", "--", "sh", "-c", "echo out; echo err >&2; exit 3"};
        long before = servedCalls();
        Run helped = call(fx.dir, Map.of(), exec);
        assertThat(servedCalls()).as("the helper ran the call").isEqualTo(before + 1);
        Run own = call(fx.dir, Map.of("BHATTI_HELPER", "0"), exec);
        assertThat(servedCalls()).as("BHATTI_HELPER=0 bypasses it").isEqualTo(before + 1);
        assertThat(helped).isEqualTo(own);
        assertThat(helped.exit()).isEqualTo(3);
        assertThat(helped.out()).isEqualTo("out\n");
        assertThat(helped.err()).isEqualTo("err\n");

        Run missing = call(fx.dir, Map.of(), "exec", "no-such-sandbox", "--", "true");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Error: ").contains("no-such-sandbox").contains("hint: 'bhatti list'");
        Run badFlag = call(fx.dir, Map.of(), "list", "--no-such-flag");
        assertThat(badFlag.exit()).isEqualTo(1);
        assertThat(badFlag.err()).contains("--no-such-flag");
    }

    @Test
    @Order(30)
    void stdinAndTheCallersDirectoryAndEnvironmentReachTheCommand() throws Exception {
        Path work = Files.createDirectories(fx.dir.resolve("work"));
        Path input = work.resolve("in.bin");
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(input, content);
        Run wrote = call(work, input, Map.of(), "file", "write", "hlp", "/workspace/in.bin");
        assertThat(wrote.exit()).as(wrote.err()).isZero();
        Run sum = call(work, Map.of(), "exec", "hlp", "--", "sh", "-c", "md5sum < /workspace/in.bin | cut -c1-32");
        assertThat(sum.out().strip()).isEqualTo(md5(content));

        Files.writeString(work.resolve("local.txt"), "from the caller's directory\n");
        Run created = call(work, Map.of(), "create", "--name", "hlp2", "--file", "local.txt:/workspace/local.txt");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(call(work, Map.of(), "file", "read", "hlp2", "/workspace/local.txt").out())
                .isEqualTo("from the caller's directory\n");
        assertThat(call(work, Map.of(), "destroy", "hlp2", "-y").exit()).isZero();

        // the environment is the caller's: a wrong BHATTI_TOKEN without --token is refused
        List<String> list = List.of(CliFixture.LAUNCHER.toString(), "list", "--url", fx.url());
        ProcessBuilder pb = new ProcessBuilder(list).redirectInput(new File("/dev/null"));
        pb.environment().keySet().removeIf(k -> k.startsWith("BHATTI_"));
        pb.environment().put("HOME", fx.dir.toString());
        pb.environment().put("BHATTI_TOKEN", "bht_wrong");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(err).contains("Error:").doesNotContain("bht_wrong");
    }

    @Test
    @Order(40)
    void streamedOutputArrivesThroughTheHelperAsItHappens() throws Exception {
        long before = servedCalls();
        List<String> command = List.of(CliFixture.LAUNCHER.toString(), "exec", "hlp", "--stream", "--url", fx.url(),
                "--token", fx.token, "--", "sh", "-c", "echo a; sleep 3; echo b");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", fx.dir.toString());
        long start = System.nanoTime();
        Process p = pb.start();
        List<long[]> stamps = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                stamps.add(new long[] {(System.nanoTime() - start) / 1_000_000});
            }
        }
        assertThat(p.waitFor()).isZero();
        assertThat(lines).containsExactly("a", "b");
        long a = stamps.get(0)[0];
        long b = stamps.get(1)[0];
        assertThat(b - a).as("a at %d ms, b at %d ms", a, b).isGreaterThanOrEqualTo(2500);
        assertThat(servedCalls()).isEqualTo(before + 1);
    }

    @Test
    @Order(50)
    void aClientThatGoesAwayEndsItsCallInTheHelper() throws Exception {
        List<String> command = List.of(CliFixture.LAUNCHER.toString(), "exec", "hlp", "--stream", "--url", fx.url(),
                "--token", fx.token, "--", "sleep", "60");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("HOME", fx.dir.toString());
        Process p = pb.start();
        assertThat(awaitStatus("running 1", 60)).as("the call is running in the helper").contains("running 1");
        p.destroyForcibly().waitFor();
        assertThat(awaitStatus("running 0", 30)).as("the killed client's call ended in the helper").contains("running 0");
    }

    @Test
    @Order(60)
    void aRebuiltJarMakesTheHelperStepAsideAndTheCallStillRuns() throws Exception {
        long pid = helperPid();
        FileTime built = Files.getLastModifiedTime(JAR);
        try {
            Files.setLastModifiedTime(JAR, FileTime.fromMillis(built.toMillis() + 60_000));
            Run r = call(fx.dir, Map.of(), "exec", "hlp", "--", "echo", "still runs");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("still runs\n");
            assertThat(ProcessHandle.of(pid).map(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join()))
                    .as("the stale helper exits").isPresent();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        } finally {
            Files.setLastModifiedTime(JAR, built);
        }
    }

    @Test
    @Order(70)
    void withoutAHelperTheFirstCallRunsInItsOwnJvmAndStartsOne() throws Exception {
        CliFixture.stopHelper(fx.dir.toString());
        assertThat(socket).doesNotExist();
        Run r = call(fx.dir, Map.of(), "list");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("hlp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(socket).exists();
        assertThat(servedCalls()).isZero();
    }

    @Test
    @Order(80)
    void helperStopEndsItsProcessAndRemovesTheSocket() throws Exception {
        long pid = helperPid();
        Run stop = call(fx.dir, Map.of(), "helper", "stop");
        assertThat(stop.exit()).isZero();
        assertThat(stop.out()).contains("stopped");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(socket).doesNotExist();
        assertThat(call(fx.dir, Map.of(), "helper", "status").exit()).isEqualTo(3);
    }

    private static String md5(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(b));
    }
}
