package dev.bhatti.agent.posix;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link Spawner#spawn} needs to start one child.
 *
 * @param executable absolute path of the program; {@code PATH} is not searched
 * @param argv the argument vector, starting with the program name; not empty
 * @param env the complete environment as {@code "KEY=VALUE"} entries; the child sees nothing else
 * @param cwd the working directory, or null to inherit the agent's
 * @param fdActions descriptor set-up applied in order in the child; descriptors not set up here
 *     (beyond the highest target) are closed in the child
 * @param newSession true to start a new session ({@code setsid}), e.g. for a terminal; false to
 *     lead a new process group in the agent's session
 * @param user the user and group the child starts as ({@link ThreadCredentials}); null: the agent's own.
 *     The working directory and {@link FdAction.Open} files are then opened as that user too
 */
public record SpawnRequest(Path executable, List<String> argv, List<String> env, Path cwd,
                           List<FdAction> fdActions, boolean newSession, ThreadCredentials.Ids user) {

    /** A child that starts as the agent's own user. */
    public SpawnRequest(Path executable, List<String> argv, List<String> env, Path cwd, List<FdAction> fdActions,
                        boolean newSession) {
        this(executable, argv, env, cwd, fdActions, newSession, null);
    }

    public SpawnRequest {
        Objects.requireNonNull(executable, "executable");
        if (!executable.isAbsolute()) {
            throw new IllegalArgumentException("executable must be an absolute path: " + executable);
        }
        checkCString(executable.toString(), "executable");
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        argv.forEach(arg -> checkCString(arg, "argv entry"));
        env = List.copyOf(env);
        for (String entry : env) {
            checkCString(entry, "env entry");
            if (entry.indexOf('=') <= 0) {
                throw new IllegalArgumentException("env entry must look like KEY=VALUE: " + entry);
            }
        }
        if (cwd != null) {
            checkCString(cwd.toString(), "cwd");
        }
        fdActions = List.copyOf(fdActions);
    }

    /** Rejects strings that cannot be passed as C strings (they would be silently truncated). */
    static void checkCString(String value, String what) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
    }
}
