package dev.bhatti.agent.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts children with {@code posix_spawn} (glibc's clone-and-exec, without the helper process
 * {@link ProcessBuilder} uses).
 *
 * <p>Every child starts with an empty signal mask and every signal disposition reset to its
 * default, whatever the calling JVM thread blocks or ignores. It leads a new process group, or a
 * new session when {@link SpawnRequest#newSession()} is set. Its descriptors are exactly those its
 * {@link SpawnRequest#fdActions()} set up: every descriptor above the highest target is closed
 * in the child ({@code posix_spawn_file_actions_addclosefrom_np}), including any the JVM left
 * without close-on-exec. With {@link SpawnRequest#user()} it starts as that user, by way of the
 * calling thread's own credentials ({@link ThreadCredentials}): one exec, no helper.
 */
public final class Spawner {
    /** {@code sizeof(posix_spawn_file_actions_t)} is 80 and {@code sizeof(posix_spawnattr_t)} 336. */
    private static final long FILE_ACTIONS_SIZE = 128;
    private static final long ATTR_SIZE = 512;
    private static final long SIGSET_SIZE = 128;
    private static final short SETPGROUP = 0x02;
    private static final short SETSIGDEF = 0x04;
    private static final short SETSIGMASK = 0x08;
    private static final short SETSID = 0x80;

    private static final MethodHandle POSIX_SPAWN = Libc.plain("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = pointerFunction("posix_spawn_file_actions_init");
    private static final MethodHandle ACTIONS_DESTROY = pointerFunction("posix_spawn_file_actions_destroy");
    private static final MethodHandle ADD_CHDIR = Libc.plain("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle ADD_DUP2 = Libc.plain("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_OPEN = Libc.plain("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CLOSEFROM = Libc.plain("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = pointerFunction("posix_spawnattr_init");
    private static final MethodHandle ATTR_DESTROY = pointerFunction("posix_spawnattr_destroy");
    private static final MethodHandle SET_FLAGS = Libc.plain("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle SET_PGROUP = Libc.plain("posix_spawnattr_setpgroup",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SET_SIGMASK = Libc.plain("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SET_SIGDEFAULT = Libc.plain("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGEMPTYSET = pointerFunction("sigemptyset");

    private Spawner() {}

    /**
     * Starts {@code request.executable()} as a child process. Returns once the child has exec'd
     * the program: glibc reports failures in the child before exec (a missing or unusable
     * working directory, a failed open, a missing or non-executable program) as the result of
     * the spawn, and reaps such a child itself.
     *
     * @throws PosixException naming the executable, e.g.
     *     {@code "posix_spawn /nope: no such file or directory"}; also {@code EBADF} when a
     *     {@link FdAction.Dup} source is already closed
     */
    public static Child spawn(SpawnRequest request) throws IOException {
        String operation = "posix_spawn " + request.executable();
        List<Fd> held = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (FdAction action : request.fdActions()) {
                if (action instanceof FdAction.Dup dup) {
                    dup.source().acquire(operation);
                    held.add(dup.source());
                }
            }
            return spawnWith(arena, request, operation);
        } catch (Throwable t) {
            throw Libc.rethrowIo(t);
        } finally {
            held.forEach(Fd::release);
        }
    }

    private static Child spawnWith(Arena arena, SpawnRequest request, String operation) throws Throwable {
        MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
        check((int) ACTIONS_INIT.invokeExact(actions), operation + " (file actions)");
        try {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 16);
            check((int) ATTR_INIT.invokeExact(attr), operation + " (attributes)");
            try {
                setAttributes(arena, attr, request.newSession(), operation);
                addFileActions(arena, actions, request, operation);
                return start(arena, request, actions, attr, operation);
            } finally {
                check((int) ATTR_DESTROY.invokeExact(attr), operation + " (attributes)");
            }
        } finally {
            check((int) ACTIONS_DESTROY.invokeExact(actions), operation + " (file actions)");
        }
    }

    private static void setAttributes(Arena arena, MemorySegment attr, boolean newSession, String operation)
            throws Throwable {
        MemorySegment noSignals = arena.allocate(SIGSET_SIZE, 8);
        if ((int) SIGEMPTYSET.invokeExact(noSignals) != 0) {
            throw new IllegalStateException("sigemptyset failed");
        }
        // Not sigfillset: it leaves out glibc's internal signals 32 and 33, which the spawn helper
        // then sets to SIG_IGN in the child, and an exec'd program would inherit them ignored.
        MemorySegment allSignals = arena.allocate(SIGSET_SIZE, 8).fill((byte) 0xff);
        String what = operation + " (attributes)";
        check((int) SET_SIGMASK.invokeExact(attr, noSignals), what);
        check((int) SET_SIGDEFAULT.invokeExact(attr, allSignals), what);
        short flags = (short) (SETSIGMASK | SETSIGDEF | (newSession ? SETSID : SETPGROUP));
        if (!newSession) {
            check((int) SET_PGROUP.invokeExact(attr, 0), what);
        }
        check((int) SET_FLAGS.invokeExact(attr, flags), what);
    }

    private static void addFileActions(Arena arena, MemorySegment actions, SpawnRequest request, String operation)
            throws Throwable {
        Path cwd = request.cwd();
        if (cwd != null) {
            check((int) ADD_CHDIR.invokeExact(actions, arena.allocateFrom(cwd.toString())),
                    operation + " (chdir " + cwd + ")");
        }
        int highestTarget = 2;
        for (FdAction action : request.fdActions()) {
            check(addFileAction(arena, actions, action), operation + " (" + action + ")");
            highestTarget = Math.max(highestTarget, action.target());
        }
        check((int) ADD_CLOSEFROM.invokeExact(actions, highestTarget + 1), operation + " (closefrom)");
    }

    private static int addFileAction(Arena arena, MemorySegment actions, FdAction action) throws Throwable {
        return switch (action) {
            case FdAction.Dup(Fd source, int target) -> (int) ADD_DUP2.invokeExact(actions, source.value(), target);
            case FdAction.DupChild(int source, int target) -> (int) ADD_DUP2.invokeExact(actions, source, target);
            case FdAction.Open(Path path, int target, OpenMode mode) -> (int) ADD_OPEN.invokeExact(
                    actions, target, arena.allocateFrom(path.toString()), mode.flags(), OpenMode.CREATE_MODE);
        };
    }

    private static Child start(Arena arena, SpawnRequest request, MemorySegment actions, MemorySegment attr,
                               String operation) throws Throwable {
        MemorySegment pid = arena.allocate(JAVA_INT);
        MemorySegment path = arena.allocateFrom(request.executable().toString());
        MemorySegment argv = cStringArray(arena, request.argv());
        MemorySegment envp = cStringArray(arena, request.env());
        int rc = request.user() == null ? posixSpawn(pid, path, actions, attr, argv, envp)
                : ThreadCredentials.as(request.user(), () -> posixSpawn(pid, path, actions, attr, argv, envp));
        check(rc, operation);
        return new Child(pid.get(JAVA_INT, 0));
    }

    private static int posixSpawn(MemorySegment pid, MemorySegment path, MemorySegment actions, MemorySegment attr,
                                  MemorySegment argv, MemorySegment envp) {
        try {
            return (int) POSIX_SPAWN.invokeExact(pid, path, actions, attr, argv, envp);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** A NULL-terminated array of C strings, all allocated in {@code arena}. */
    private static MemorySegment cStringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** posix_spawn and its helpers return an error number instead of setting errno. */
    private static void check(int rc, String operation) throws PosixException {
        if (rc != 0) {
            throw new PosixException(operation, rc);
        }
    }

    private static MethodHandle pointerFunction(String name) {
        return Libc.plain(name, FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }
}
