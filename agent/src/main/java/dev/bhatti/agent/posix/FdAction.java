package dev.bhatti.agent.posix;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One step that prepares a child's descriptors between fork and exec, applied in list order
 * (after the {@code chdir} to the working directory, if any).
 */
public sealed interface FdAction {
    /** The descriptor this action sets up in the child. */
    int target();

    /**
     * Duplicates a descriptor the parent owns onto {@code target} in the child
     * ({@code posix_spawn_file_actions_adddup2}). The parent keeps (and should usually close,
     * after spawning) its own {@code source}.
     */
    record Dup(Fd source, int target) implements FdAction {
        public Dup {
            Objects.requireNonNull(source, "source");
            checkTarget(target);
        }
    }

    /**
     * Duplicates a descriptor that an earlier action already set up in the child, e.g. making
     * 1 and 2 copies of a terminal opened onto 0 ({@code posix_spawn_file_actions_adddup2}).
     */
    record DupChild(int sourceTarget, int target) implements FdAction {
        public DupChild {
            checkTarget(sourceTarget);
            checkTarget(target);
        }
    }

    /** Opens {@code path} in the child onto {@code target} ({@code posix_spawn_file_actions_addopen}). */
    record Open(Path path, int target, OpenMode mode) implements FdAction {
        public Open {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
            SpawnRequest.checkCString(path.toString(), "path");
            checkTarget(target);
        }
    }

    private static void checkTarget(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative file descriptor: " + fd);
        }
    }
}
