package dev.bhatti.cli;

import dev.bhatti.cli.term.Tty;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * One CLI call's world: its environment, working directory, home, standard streams and which of
 * them are terminals (asked only when a command wants to know). A call in its own JVM sees the process's ({@link #process()}); a call the
 * resident helper runs ({@code dev.bhatti.cli.helper}) sees the launching client's, bound with
 * {@link #CURRENT} for the call's thread. Commands ask {@link #current()}, never {@code System}.
 */
public record Invocation(Map<String, String> env, Path cwd, Path home, InputStream in, PrintStream out,
                         PrintStream err, IntPredicate terminal) {
    /** The call being run on this thread, when a helper runs it. */
    public static final ScopedValue<Invocation> CURRENT = ScopedValue.newInstance();

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;

    /** The call on this thread: the helper's bound one, else this process's own. */
    public static Invocation current() {
        return CURRENT.isBound() ? CURRENT.get() : Process.INSTANCE;
    }

    /** This process: {@code System}'s streams and environment, libc's {@code isatty}. */
    public static Invocation process() {
        return Process.INSTANCE;
    }

    /** Whether fd 0, 1 or 2 of this call is a terminal. */
    public boolean isTerminal(int fd) {
        return terminal.test(fd);
    }

    /** {@code path} against this call's working directory. */
    public Path resolve(String path) {
        return cwd.resolve(path);
    }

    /**
     * Asks a yes/no question on a terminal: null when stdin or stderr is not one (the caller then
     * goes on as if told yes), else whether the answer starts with "y".
     */
    public Boolean confirm(String question) {
        if (!isTerminal(STDIN) || !isTerminal(STDERR)) {
            return null;
        }
        err.print(question);
        err.flush();
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
        } catch (IOException e) {
            return false;
        }
        return line.toString().strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    private static final class Process {
        static final Invocation INSTANCE = new Invocation(System.getenv(), Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("user.home")), System.in, System.out, System.err, Tty::isTerminal);
    }
}
