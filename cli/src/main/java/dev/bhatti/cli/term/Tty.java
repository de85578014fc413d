package dev.bhatti.cli.term;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Whether a standard stream is a terminal, asked of libc's {@code isatty(3)} through the FFM API
 * (unlike {@link System#console()}, this tells stdout and stderr apart). Where native calls are
 * not allowed the answer is "not a terminal", which only turns off interactive niceties.
 */
public final class Tty {
    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    private static final Optional<MethodHandle> ISATTY = isatty();

    private Tty() {
    }

    public static boolean isTerminal(int fd) {
        try {
            return ISATTY.isPresent() && (int) ISATTY.get().invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false; // isatty itself cannot fail in a way worth reporting: the answer is "no"
        }
    }

    @SuppressWarnings("restricted") // the CLI's one native call; bin/bhatti enables native access
    private static Optional<MethodHandle> isatty() {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("isatty")
                    .map(symbol -> linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT)));
        } catch (RuntimeException e) {
            return Optional.empty(); // native access denied: behave as without a terminal
        }
    }
}
