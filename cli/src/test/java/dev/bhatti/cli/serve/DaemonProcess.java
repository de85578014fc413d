package dev.bhatti.cli.serve;

import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.ConnectionException;
import dev.bhatti.sdk.Raw;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code bhatti serve} as a real child process on a fixed data dir and port (so it can be killed
 * and started again), with its home in the test dir so the admin config lands there; reached
 * through the SDK's plain HTTP ({@link Raw}).
 */
final class DaemonProcess implements AutoCloseable {
    final Path root;
    final int port;
    private Process process;
    private boolean imageSnapshots;

    DaemonProcess(Path root) throws IOException {
        this.root = root;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** A daemon on a new temporary data dir, which {@link #closeAndRemove()} deletes. */
    static DaemonProcess inTempDir(String prefix) throws IOException {
        return new DaemonProcess(java.nio.file.Files.createTempDirectory(prefix));
    }

    /** {@link #close()}, then deletes the whole data dir. */
    void closeAndRemove() throws InterruptedException, IOException {
        close();
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /** Starts the daemon and waits until /health answers; answers how long that took. */
    Duration start() throws IOException, InterruptedException {
        return start(null);
    }

    /**
     * Like {@link #start()}, with {@code BHATTI_FAULT_POINT} set to {@code faultPoint} (null: unset):
     * the daemon halts with 137 when it reaches that point.
     */
    Duration start(String faultPoint) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // No image snapshot build at start unless asked for: it would boot a VM beside the test's own.
        Files.writeString(root.resolve("no-config.yaml"), "image_snapshots: " + imageSnapshots + "\n");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Duser.home=" + root.resolve("home"), "-cp", System.getProperty("java.class.path"),
                "dev.bhatti.cli.Bhatti", "serve", "--config", root.resolve("no-config.yaml").toString(),
                "--data-dir", root.resolve("data").toString(), "--listen", "127.0.0.1:" + port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("daemon.log").toFile()));
        builder.environment().remove("BHATTI_FAULT_POINT");
        if (faultPoint != null) {
            builder.environment().put("BHATTI_FAULT_POINT", faultPoint);
        }
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (raw(null).send("GET", "/health", Map.of(), null).status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - t0);
                }
            } catch (ConnectionException notYet) {
                LockSupport.parkNanos(50_000_000);
            }
        }
        throw new IllegalStateException("daemon not healthy within 3 min:\n" + log());
    }

    String adminKey() throws IOException {
        return Files.readAllLines(root.resolve("home/.bhatti/config.yaml")).stream()
                .filter(l -> l.startsWith("auth_token: ")).map(l -> l.substring(12)).findFirst().orElseThrow();
    }

    /** Plain HTTP to the daemon with {@code key} ({@code null}: none); a dead daemon is a {@link ConnectionException}. */
    Raw raw(String key) {
        return Bhatti.connect("http://127.0.0.1:" + port, key).raw();
    }

    Raw.Response post(String key, String path, String json) {
        return raw(key).json("POST", path, json);
    }

    Raw.Response get(String key, String path) {
        return raw(key).send("GET", path, Map.of(), null);
    }

    Raw.Response delete(String key, String path) {
        return raw(key).send("DELETE", path, Map.of(), null);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the daemon gets no chance to clean up (its VMMs keep running). */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the daemon to end by itself (a fault point halted it); answers its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            throw new IllegalStateException("daemon still alive 3 min after its fault point should have halted it");
        }
        return process.exitValue();
    }

    /** SIGTERM and wait for the graceful shutdown to finish; answers the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("daemon did not exit within 3 min after SIGTERM");
        }
        return process.exitValue();
    }

    /** QEMU processes working on this test's data dir (found by pid via their command line). */
    /** Whether the next {@link #start} builds the image snapshot of the default shape (off unless set). */
    void imageSnapshots(boolean on) {
        imageSnapshots = on;
    }

    /** Every QEMU of this data dir: sandboxes and image snapshot builds. */
    List<ProcessHandle> vmms() {
        String dir = root.resolve("data").toString() + "/";
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir)
                && c.contains("qemu-system")).orElse(false)).toList();
    }

    String log() throws IOException {
        Path f = root.resolve("daemon.log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /** Kills the daemon and every VMM of this data dir, whatever state the test left. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        for (ProcessHandle p : vmms()) {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        dev.bhatti.engine.net.SandboxNetworks.removeAllOf(root.resolve("data"));
    }
}
