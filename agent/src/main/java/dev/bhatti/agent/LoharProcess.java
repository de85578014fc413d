package dev.bhatti.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real lohar process in test mode, for tests and benchmarks: started on two
 * Unix sockets in a fresh directory, ready once it printed its readiness line,
 * and stopped (with its whole process tree) by {@link #close()}.
 */
public final class LoharProcess implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final Path control;
    private final Path forward;
    private final StringBuilder stderr = new StringBuilder();

    private LoharProcess(Process process, Path dir) {
        this.process = process;
        this.dir = dir;
        this.control = dir.resolve("control.sock");
        this.forward = dir.resolve("forward.sock");
    }

    /** Starts lohar with the given extra flags, using this JVM's java binary and class path. */
    public static LoharProcess start(String... extraFlags) throws IOException {
        Path dir = Files.createTempDirectory("lohar-");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), Lohar.class.getName(), "test-mode",
                "--control-socket", dir.resolve("control.sock").toString(),
                "--forward-socket", dir.resolve("forward.sock").toString()));
        if (!List.of(extraFlags).contains("--workspace")) {
            Path workspace = Files.createDirectories(dir.resolve("workspace"));
            cmd.addAll(List.of("--workspace", workspace.toString()));
        }
        cmd.addAll(List.of(extraFlags));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        LoharProcess lohar = new LoharProcess(process, dir);
        lohar.awaitReady(Duration.ofSeconds(30));
        return lohar;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void awaitReady(Duration timeout) throws IOException {
        Thread.ofVirtual().start(this::collectStderr);
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            String first = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null || !first.startsWith(Lohar.READY)) {
                throw new IOException("lohar did not become ready: " + first + "; stderr: " + stderr());
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            close();
            throw new IOException("lohar did not become ready within " + timeout + "; stderr: " + stderr(), e);
        }
    }

    private void collectStderr() {
        try (BufferedReader r = process.errorReader(StandardCharsets.UTF_8)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                synchronized (stderr) {
                    stderr.append(l).append('\n');
                }
            }
        } catch (IOException e) {
            synchronized (stderr) {
                stderr.append("[stderr closed: ").append(e.getMessage()).append("]\n");
            }
        }
    }

    /** What lohar wrote to stderr so far (its log). */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public Path controlSocket() {
        return control;
    }

    public Path forwardSocket() {
        return forward;
    }

    /** The directory holding the sockets and the default workspace. */
    public Path dir() {
        return dir;
    }

    public Path workspace() {
        return dir.resolve("workspace");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills every descendant and lohar itself, waits for them, and removes the directory. */
    @Override
    public void close() throws IOException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle h : tree) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("lohar " + process.pid() + " did not stop", e);
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
