package dev.bhatti.agent.posix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Spawns children for a test and, in {@link #close()}, kills the process group of every child
 * not yet reaped and reaps it, so no test leaves a process behind.
 */
final class Children implements AutoCloseable {
    static final List<String> MINIMAL_ENV = List.of("PATH=/usr/bin:/bin");

    private final List<Child> spawned = new ArrayList<>();

    /** Spawns {@code argv} (argv[0] is the absolute executable) in a new process group. */
    Child spawn(List<String> argv, FdAction... actions) throws IOException {
        return spawn(new SpawnRequest(Path.of(argv.get(0)), argv, MINIMAL_ENV, null, List.of(actions), false));
    }

    Child spawn(SpawnRequest request) throws IOException {
        Child child = Spawner.spawn(request);
        spawned.add(child);
        return child;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Child child : spawned) {
            try {
                if (child.exitCode().isEmpty()) {
                    child.signalGroup(Signals.KILL);
                    child.signal(Signals.KILL); // in case the child is not leading its group
                }
                child.waitFor();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
