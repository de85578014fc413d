package dev.bhatti.server.e2b;

import dev.bhatti.client.AgentClient;
import dev.bhatti.client.ExecResult;
import dev.bhatti.proto.ExecRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * envd's filesystem service (Stat, ListDir, MakeDir, Move, Remove) on the guest, each call one
 * small shell script run as the caller's user through the agent, so permissions are the user's.
 * Entries are read with GNU find's {@code -printf}, NUL-separated, and answered as envd's
 * {@code EntryInfo} JSON (a symlink has its target's type and {@code symlinkTarget}).
 */
public final class E2bFs {
    private static final String FORMAT = "%Y\\0%s\\0%m\\0%M\\0%u\\0%g\\0%T@\\0%l\\0%p\\0";
    private static final int FIELDS = 9;
    private static final int NOT_FOUND = 44;
    private static final int NOT_A_DIRECTORY = 45;
    private static final int EXISTS = 46;
    private static final String EXISTS_CHECK = "[ -e \"$1\" ] || [ -L \"$1\" ] || { echo \"path '$1' does not exist\" >&2; exit 44; }; ";

    private E2bFs() {}

    /** The user an envd call runs as: the agent's user, and the E2B name and home it stands for. */
    public record User(String e2bName, String agentUser, String home) {}

    public static Map<String, Object> stat(AgentClient agent, User user, String path) throws IOException {
        return only(run(agent, user, EXISTS_CHECK + "find -- \"$1\" -maxdepth 0 -printf '" + FORMAT + "'", path));
    }

    public static List<Map<String, Object>> list(AgentClient agent, User user, String path, int depth) throws IOException {
        String script = EXISTS_CHECK + "[ -d \"$1\" ] || { echo \"path '$1' is not a directory\" >&2; exit 45; }; "
                + "find -- \"$1\" -mindepth 1 -maxdepth " + Math.max(1, depth) + " -printf '" + FORMAT + "'";
        return run(agent, user, script, path);
    }

    public static Map<String, Object> makeDir(AgentClient agent, User user, String path) throws IOException {
        String script = "[ -d \"$1\" ] && { echo \"directory '$1' already exists\" >&2; exit 46; }; "
                + "[ -e \"$1\" ] && { echo \"path '$1' exists and is not a directory\" >&2; exit 45; }; "
                + "mkdir -p -- \"$1\" && find -- \"$1\" -maxdepth 0 -printf '" + FORMAT + "'";
        return only(run(agent, user, script, path));
    }

    public static Map<String, Object> move(AgentClient agent, User user, String from, String to) throws IOException {
        String script = EXISTS_CHECK + "mkdir -p -- \"$(dirname -- \"$2\")\" && mv -f -- \"$1\" \"$2\" "
                + "&& find -- \"$2\" -maxdepth 0 -printf '" + FORMAT + "'";
        return only(run(agent, user, script, from, to));
    }

    public static void remove(AgentClient agent, User user, String path) throws IOException {
        run(agent, user, "rm -rf -- \"$1\"", path);
    }

    /**
     * What a directory holds now, for a watch: each entry's path relative to it and its mtime and
     * size ({@code recursive}: the whole tree).
     */
    public static Map<String, String> snapshot(AgentClient agent, User user, String dir, boolean recursive) throws IOException {
        String script = EXISTS_CHECK + "[ -d \"$1\" ] || { echo \"path '$1' is not a directory\" >&2; exit 45; }; "
                + "find -- \"$1\" -mindepth 1 " + (recursive ? "" : "-maxdepth 1 ") + "-printf '%P\\0%T@ %s\\0'";
        String out = raw(agent, user, script, dir);
        Map<String, String> m = new LinkedHashMap<>();
        String[] f = out.split("\0", -1);
        for (int i = 0; i + 2 <= f.length; i += 2) {
            m.put(f[i], f[i + 1]);
        }
        return m;
    }

    /**
     * Whether the unprivileged user may read ({@code write} false) or write these paths: the agent
     * moves file contents as root, so the user's own rights are checked first (root may do all).
     */
    public static boolean allowed(AgentClient agent, User user, boolean write, List<String> paths) throws IOException {
        if (user.agentUser().equals(ExecRequest.USER_ROOT)) {
            return true;
        }
        String check = write
                ? "for p; do if [ -e \"$p\" ]; then [ -w \"$p\" ] || exit 13; else d=$(dirname -- \"$p\"); "
                        + "while [ ! -e \"$d\" ]; do d=$(dirname -- \"$d\"); done; [ -w \"$d\" ] || exit 13; fi; done"
                : "for p; do [ ! -e \"$p\" ] || [ -r \"$p\" ] || exit 13; done";
        List<String> argv = new ArrayList<>(List.of("sh", "-c", check, "sh"));
        argv.addAll(paths);
        return agent.exec(ExecRequest.builder(argv.toArray(String[]::new)).user(user.agentUser()).timeoutSec(30).build())
                .exitCode() == 0;
    }

    private static Map<String, Object> only(List<Map<String, Object>> entries) {
        if (entries.size() != 1) {
            throw Connect.error("internal", "expected one entry, the guest listed " + entries.size());
        }
        return entries.getFirst();
    }

    private static List<Map<String, Object>> run(AgentClient agent, User user, String script, String... args) throws IOException {
        return entries(raw(agent, user, script, args));
    }

    private static String raw(AgentClient agent, User user, String script, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        argv.addAll(List.of(args));
        ExecResult r = agent.exec(ExecRequest.builder(argv.toArray(String[]::new)).user(user.agentUser())
                .env(Map.of("HOME", user.home())).cwd(user.home()).timeoutSec(60).build());
        String err = r.stderr().strip();
        switch (r.exitCode()) {
            case 0 -> {
                return r.stdout();
            }
            case NOT_FOUND -> throw Connect.error("not_found", err);
            case NOT_A_DIRECTORY -> throw Connect.error("invalid_argument", err);
            case EXISTS -> throw Connect.error("already_exists", err);
            default -> throw Connect.error(err.contains("Permission denied") ? "permission_denied" : "internal",
                    err.isEmpty() ? "exit " + r.exitCode() : err);
        }
    }

    /** find's NUL-separated records as EntryInfo JSON. */
    public static List<Map<String, Object>> entries(String out) {
        String[] f = out.split("\0", -1);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (int i = 0; i + FIELDS <= f.length; i += FIELDS) {
            entries.add(entry(f[i], f[i + 1], f[i + 2], f[i + 3], f[i + 4], f[i + 5], f[i + 6], f[i + 7], f[i + 8]));
        }
        return entries;
    }

    private static Map<String, Object> entry(String type, String size, String mode, String perms, String owner,
                                             String group, String mtime, String link, String path) {
        Map<String, Object> m = new LinkedHashMap<>();
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        m.put("name", p.substring(p.lastIndexOf('/') + 1));
        m.put("type", switch (type) {
            case "f" -> "FILE_TYPE_FILE";
            case "d" -> "FILE_TYPE_DIRECTORY";
            case "l", "N", "L" -> "FILE_TYPE_SYMLINK";
            default -> "FILE_TYPE_UNSPECIFIED";
        });
        m.put("path", p);
        m.put("size", size);
        m.put("mode", Integer.parseInt(mode, 8));
        m.put("permissions", perms);
        m.put("owner", owner);
        m.put("group", group);
        BigDecimal t = new BigDecimal(mtime.isEmpty() ? "0" : mtime);
        m.put("modifiedTime", Instant.ofEpochSecond(t.longValue(), t.remainder(BigDecimal.ONE).movePointRight(9).longValue()).toString());
        if (!link.isEmpty()) {
            m.put("symlinkTarget", link);
        }
        return m;
    }
}
