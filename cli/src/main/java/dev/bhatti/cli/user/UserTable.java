package dev.bhatti.cli.user;

import dev.bhatti.server.store.User;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** The plain-text table of {@code bhatti user list}: limits, and storage in use against the quota. */
final class UserTable {
    private static final String FORMAT = "%-24s %13s %8s %13s %17s  %s%n";

    private UserTable() {
    }

    /** {@code users}: each user with its storage in use, MB (root disks and volumes). */
    static void print(PrintWriter out, Map<User, Long> users) {
        if (users.isEmpty()) {
            out.println("No users. Create one with: bhatti user create --name NAME");
            return;
        }
        out.printf(FORMAT, "NAME", "MAX_SANDBOXES", "MAX_CPUS", "MAX_MEMORY_MB", "STORAGE_MB", "CREATED");
        users.forEach((u, used) -> out.printf(FORMAT, u.name(), u.limits().maxSandboxes(), u.limits().maxCpus(),
                u.limits().maxMemoryMb(), used + "/" + u.limits().maxStorageMb(), u.createdAt().truncatedTo(ChronoUnit.SECONDS)));
    }
}
