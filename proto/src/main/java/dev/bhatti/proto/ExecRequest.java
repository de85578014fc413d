package dev.bhatti.proto;

import java.util.List;
import java.util.Map;

/**
 * EXEC_REQ payload. Optional fields are {@code null} when absent and omitted on the wire.
 *
 * @param argv        program and arguments; may be empty only when attaching ({@code sessionId} set)
 * @param env         extra environment, wins over the agent's defaults and config env
 * @param cwd         working directory, default the workspace
 * @param tty         create a PTY session
 * @param rows        PTY rows (default 24)
 * @param cols        PTY columns (default 80)
 * @param sessionId   attach to this existing session instead of starting a program
 * @param ifDetached  attach only when nobody is attached
 * @param maxIdleSec  kill a detached session after this many idle seconds (0/absent = never)
 * @param detach      run in the background with output to a file; answered by {@link DetachResult}
 * @param outputFile  file for a detached command's output
 * @param session     create a piped session that survives disconnects
 * @param timeoutSec  kill the process group after this many seconds
 * @param user        who runs it: {@code "lohar"} (absent: the default) or {@code "root"}
 * @param stderrApart  a piped session keeps stderr apart (STDERR frames) instead of merging it into stdout
 * @param outputFrom  attach: replay the scrollback from this output offset (bytes of output since the
 *                    session started), not all of it; a reattaching client passes what it already has
 * @param label       a session's owner's note, reported back in SessionInfo (at most {@link #MAX_LABEL}
 *                    characters); a labelled session belongs to its client: bhatti's terminal never
 *                    picks it to reattach
 */
public record ExecRequest(
        List<String> argv,
        Map<String, String> env,
        String cwd,
        Boolean tty,
        Integer rows,
        Integer cols,
        String sessionId,
        Boolean ifDetached,
        Integer maxIdleSec,
        Boolean detach,
        String outputFile,
        Boolean session,
        Integer timeoutSec,
        String user,
        Boolean stderrApart,
        Long outputFrom,
        String label) {

    public static final int DEFAULT_ROWS = 24;
    /** The guest user a request runs as when it names none. */
    public static final String USER_LOHAR = "lohar";
    /** The other user a request may name. */
    public static final String USER_ROOT = "root";
    public static final int DEFAULT_COLS = 80;
    /** The longest session label, in characters. */
    public static final int MAX_LABEL = 16 * 1024;

    public ExecRequest {
        argv = argv == null ? List.of() : List.copyOf(argv);
        env = env == null ? null : Map.copyOf(env);
        if (argv.isEmpty() && sessionId == null) {
            throw new IllegalArgumentException("argv must not be empty");
        }
        if (argv.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("argv must not contain NUL bytes");
        }
        requireRange("rows", rows, 1, 0xFFFF);
        requireRange("cols", cols, 1, 0xFFFF);
        requireRange("max_idle_sec", maxIdleSec, 0, Integer.MAX_VALUE);
        requireRange("timeout_sec", timeoutSec, 0, Integer.MAX_VALUE);
        if (label != null && label.length() > MAX_LABEL) {
            throw new IllegalArgumentException("label must be at most " + MAX_LABEL + " characters, got " + label.length());
        }
        if (outputFrom != null && outputFrom < 0) {
            throw new IllegalArgumentException("output_from must not be negative, got " + outputFrom);
        }
        if (user != null && !knownUser(user)) {
            throw new IllegalArgumentException(unknownUser(user));
        }
    }

    /** Whether a request may name {@code user}: {@code "lohar"} or {@code "root"}. */
    public static boolean knownUser(String user) {
        return USER_LOHAR.equals(user) || USER_ROOT.equals(user);
    }

    /** The message for a user no request may name. */
    public static String unknownUser(String user) {
        return "user must be \"lohar\" or \"root\", got \"" + user + "\"";
    }

    /** Whether the request runs as root rather than the lohar user. */
    public boolean asRoot() {
        return USER_ROOT.equals(user);
    }

    /** A plain piped exec of {@code argv}. */
    public static ExecRequest of(String... argv) {
        return builder(argv).build();
    }

    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    /** A request that attaches to an existing session. */
    public static Builder attach(String sessionId) {
        return new Builder(List.of()).sessionId(sessionId);
    }

    public boolean wantsTty() {
        return Boolean.TRUE.equals(tty);
    }

    public boolean wantsSession() {
        return Boolean.TRUE.equals(session);
    }

    public boolean wantsDetach() {
        return Boolean.TRUE.equals(detach);
    }

    public boolean wantsStderrApart() {
        return Boolean.TRUE.equals(stderrApart);
    }

    public boolean onlyIfDetached() {
        return Boolean.TRUE.equals(ifDetached);
    }

    public int rowsOrDefault() {
        return rows == null ? DEFAULT_ROWS : rows;
    }

    public int colsOrDefault() {
        return cols == null ? DEFAULT_COLS : cols;
    }

    private static void requireRange(String name, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** Builds requests field by field; unset fields stay absent. */
    public static final class Builder {
        private final List<String> argv;
        private Map<String, String> env;
        private String cwd;
        private Boolean tty;
        private Integer rows;
        private Integer cols;
        private String sessionId;
        private Boolean ifDetached;
        private Integer maxIdleSec;
        private Boolean detach;
        private String outputFile;
        private Boolean session;
        private Integer timeoutSec;
        private String user;
        private Boolean stderrApart;
        private Long outputFrom;
        private String label;

        private Builder(List<String> argv) {
            this.argv = argv;
        }

        public Builder env(Map<String, String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder tty(int r, int c) { tty = true; rows = r; cols = c; return this; }
        public Builder tty() { tty = true; return this; }
        public Builder sessionId(String v) { sessionId = v; return this; }
        public Builder ifDetached() { ifDetached = true; return this; }
        public Builder maxIdleSec(int v) { maxIdleSec = v; return this; }
        public Builder detach(String file) { detach = true; outputFile = file; return this; }
        public Builder session() { session = true; return this; }
        public Builder timeoutSec(int v) { timeoutSec = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder stderrApart() { stderrApart = true; return this; }
        public Builder outputFrom(long v) { outputFrom = v; return this; }
        public Builder label(String v) { label = v; return this; }

        public ExecRequest build() {
            return new ExecRequest(argv, env, cwd, tty, rows, cols, sessionId, ifDetached, maxIdleSec,
                    detach, outputFile, session, timeoutSec, user, stderrApart, outputFrom, label);
        }
    }
}
