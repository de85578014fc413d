package dev.bhatti.server.recovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what sandboxes unknown to the store left behind (SPEC §7), after recovery registered the
 * known ones: processes of this user whose command line mentions {@code <sandboxesDir>/<id>/}
 * (VMMs: memory file, QMP socket, disks) are ended by pid — never by name — and directories under
 * {@code sandboxesDir} whose name is not a known id are removed.
 */
public final class Orphans {
    private static final Logger log = LoggerFactory.getLogger(Orphans.class);
    /** How long an orphan gets to exit after SIGTERM before SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(5);

    /** One ended process. */
    public record KilledProcess(long pid, String sandboxId, String commandLine) {}

    /** What {@link #clean} did; {@code failures} names whatever could not be removed. */
    public record Cleanup(List<KilledProcess> killed, List<Path> removedDirs, List<String> failures) {
        public Cleanup {
            killed = List.copyOf(killed);
            removedDirs = List.copyOf(removedDirs);
            failures = List.copyOf(failures);
        }
    }

    private Orphans() {}

    public static Cleanup clean(Path sandboxesDir, Set<String> knownIds) {
        Path root = sandboxesDir.toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        List<KilledProcess> killed = killProcesses(root, knownIds, failures);
        List<Path> removed = removeDirectories(root, knownIds, failures);
        log.info("event=orphans_cleaned dir={} killed={} removed_dirs={} failures={}", root, killed.size(),
                removed.size(), failures.size());
        return new Cleanup(killed, removed, failures);
    }

    /**
     * Ends every process of this user whose command line names a sandbox directory under
     * {@code sandboxesDir}, known or not. Call it at start-up after the VMMs a killed daemon left
     * were rescued (snapshotted and ended), before the engine starts any: whatever still runs there
     * then is a VMM nobody owns — its rescue failed, or its create never finished — which no
     * request could reach and which would keep its files busy after a destroy (decision 0014).
     */
    public static List<KilledProcess> endLeftoverProcesses(Path sandboxesDir) {
        Path root = sandboxesDir.toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        List<KilledProcess> killed = killProcesses(root, Set.of(), failures);
        failures.forEach(f -> log.error("event=leftover_process_kill_failed reason=\"{}\"", f));
        return killed;
    }

    /** Removes {@code <sandboxesDir>/<id>/} and everything in it; answers a failure, empty when removed or absent. */
    public static Optional<String> removeSandboxDir(Path sandboxesDir, String id) {
        Path dir = sandboxesDir.toAbsolutePath().normalize().resolve(id).normalize();
        if (!dir.getParent().equals(sandboxesDir.toAbsolutePath().normalize()) || !Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<String> failures = new ArrayList<>();
        removeTree(dir, new ArrayList<>(), failures);
        return failures.stream().findFirst();
    }

    private static List<KilledProcess> killProcesses(Path root, Set<String> knownIds, List<String> failures) {
        Optional<String> me = ProcessHandle.current().info().user();
        List<KilledProcess> killed = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> me.isEmpty() || p.info().user().equals(me))
                .forEach(p -> p.info().commandLine()
                        .flatMap(cmd -> orphanId(cmd, root, knownIds).map(id -> new KilledProcess(p.pid(), id, cmd)))
                        .ifPresent(k -> end(p, k, killed, failures)));
        return killed;
    }

    /** The first sandbox id in {@code cmd} under {@code root} that is not known. */
    static Optional<String> orphanId(String cmd, Path root, Set<String> knownIds) {
        String prefix = root + "/";
        for (int at = cmd.indexOf(prefix); at >= 0; at = cmd.indexOf(prefix, at + 1)) {
            int start = at + prefix.length();
            int end = cmd.indexOf('/', start);
            if (end > start) {
                String id = cmd.substring(start, end);
                if (!id.contains(" ") && !knownIds.contains(id)) {
                    return Optional.of(id);
                }
            }
        }
        return Optional.empty();
    }

    private static void end(ProcessHandle p, KilledProcess k, List<KilledProcess> killed, List<String> failures) {
        log.warn("event=orphan_process_kill pid={} sandbox={} cmd=\"{}\"", k.pid(), k.sandboxId(), k.commandLine());
        p.destroy();
        try {
            p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            awaitKilled(p, k, failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while ending orphan pid " + k.pid());
            return;
        } catch (ExecutionException e) {
            failures.add("waiting for orphan pid " + k.pid() + " failed: " + e.getCause());
        }
        killed.add(k);
    }

    private static void awaitKilled(ProcessHandle p, KilledProcess k, List<String> failures) {
        try {
            p.onExit().get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            failures.add("orphan pid " + k.pid() + " of sandbox " + k.sandboxId() + " survived SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted while ending orphan pid " + k.pid());
        }
    }

    private static List<Path> removeDirectories(Path root, Set<String> knownIds, List<String> failures) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path dir : children.filter(Files::isDirectory).sorted().toList()) {
                if (!knownIds.contains(dir.getFileName().toString())) {
                    removeTree(dir, removed, failures);
                }
            }
        } catch (IOException e) {
            failures.add("listing " + root + " failed: " + e.getMessage());
        }
        return removed;
    }

    private static void removeTree(Path dir, List<Path> removed, List<String> failures) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            removed.add(dir);
            log.warn("event=orphan_dir_removed dir={}", dir);
        } catch (IOException e) {
            failures.add("removing " + dir + " failed: " + e.getMessage());
        }
    }
}
