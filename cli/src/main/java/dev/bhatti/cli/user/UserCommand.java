package dev.bhatti.cli.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.store.SqliteStore;
import dev.bhatti.server.store.User;
import dev.bhatti.server.users.ApiKeys;
import dev.bhatti.server.users.Users;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code bhatti user ...}: local user management on the server's data directory (no daemon
 * needed). API keys are printed once, when created or rotated.
 */
@Command(name = "user", description = "Manage users on this server's data directory.",
        mixinStandardHelpOptions = true)
public final class UserCommand {
    private final ObjectMapper json = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:BHATTI_DATA_DIR:-/var/lib/bhatti}",
            description = "Server data directory (default: $BHATTI_DATA_DIR or /var/lib/bhatti).")
    Path dataDir;

    @Command(name = "create", description = "Create a user and print its API key (shown only once).")
    void create(@Option(names = "--name", required = true, description = "User name.") String name,
                @Option(names = "--max-sandboxes", description = "Sandbox limit (default 5).") Integer maxSandboxes,
                @Option(names = "--max-cpus", description = "CPUs per sandbox (default 4).") Integer maxCpus,
                @Option(names = "--max-memory", paramLabel = "MB",
                        description = "Memory per sandbox in MB (default 4096).") Integer maxMemory,
                @Option(names = "--max-storage", paramLabel = "MB",
                        description = "Storage quota in MB: root disks and volumes together (default 20480).")
                Integer maxStorage,
                @Option(names = "--json", description = "Print JSON.") boolean asJson) {
        Limits d = Limits.DEFAULT;
        Limits limits = new Limits(or(maxSandboxes, d.maxSandboxes()), or(maxCpus, d.maxCpus()),
                or(maxMemory, d.maxMemoryMb()), or(maxStorage, d.maxStorageMb()));
        Users.Created created = withUsers(users -> users.create(name, limits));
        printKey(name, created.apiKey(), asJson, "Created user " + name + ".");
    }

    @Command(name = "list", aliases = "ls", description = "List users.")
    void list(@Option(names = "--json", description = "Print JSON.") boolean asJson) {
        Map<User, Long> used = new LinkedHashMap<>();
        try (SqliteStore store = SqliteStore.open(dataDir)) {
            new Users(store, new ApiKeys(), Clock.systemUTC()).list().forEach(u -> used.put(u, store.storageUsedMb(u.id())));
        }
        if (asJson) {
            out().println(toJson(used.entrySet().stream().map(e -> toMap(e.getKey(), e.getValue())).toList()));
        } else {
            UserTable.print(out(), used);
        }
        out().flush();
    }

    @Command(name = "rotate-key", description = "Replace a user's API key; the old key stops working.")
    void rotateKey(@Parameters(paramLabel = "NAME", description = "User name.") String name,
                   @Option(names = "--json", description = "Print JSON.") boolean asJson) {
        String key = withUsers(users -> users.rotate(name));
        printKey(name, key, asJson, "New API key for user " + name + "; the old key no longer works.");
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a user (refused while it has sandboxes).")
    void delete(@Parameters(paramLabel = "NAME", description = "User name.") String name) {
        withUsers(users -> {
            users.delete(name);
            return null;
        });
        out().println("Deleted user " + name + ".");
        out().flush();
    }

    private <T> T withUsers(Function<Users, T> action) {
        try (SqliteStore store = SqliteStore.open(dataDir)) {
            return action.apply(new Users(store, new ApiKeys(), Clock.systemUTC()));
        }
    }

    private void printKey(String name, String key, boolean asJson, String headline) {
        if (asJson) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("api_key", key);
            out().println(toJson(m));
        } else {
            out().println(headline);
            out().println();
            out().println("  API key: " + key);
            out().println();
            out().println("This key is shown only once: store it now. Only its hash is kept on the server.");
        }
        out().flush();
    }

    private static Map<String, Object> toMap(User u, long storageUsedMb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("name", u.name());
        m.put("max_sandboxes", u.limits().maxSandboxes());
        m.put("max_cpus", u.limits().maxCpus());
        m.put("max_memory_mb", u.limits().maxMemoryMb());
        m.put("max_storage_mb", u.limits().maxStorageMb());
        m.put("storage_used_mb", storageUsedMb);
        m.put("created_at", u.createdAt().toString());
        return m;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode output as JSON", e);
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
