package dev.bhatti.cli.user;

import dev.bhatti.server.store.User;
import java.io.PrintWriter;
import java.util.List;

/** The plain-text table of {@code bhatti user list}. */
final class UserTable {
    private static final String FORMAT = "%-24s %13s %8s %13s  %s%n";

    private UserTable() {
    }

    static void print(PrintWriter out, List<User> users) {
        if (users.isEmpty()) {
            out.println("No users. Create one with: bhatti user create --name NAME");
            return;
        }
        out.printf(FORMAT, "NAME", "MAX_SANDBOXES", "MAX_CPUS", "MAX_MEMORY_MB", "CREATED");
        for (User u : users) {
            out.printf(FORMAT, u.name(), u.limits().maxSandboxes(), u.limits().maxCpus(), u.limits().maxMemoryMb(),
                    u.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }
}
