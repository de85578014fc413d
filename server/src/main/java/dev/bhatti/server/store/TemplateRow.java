package dev.bhatti.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sandbox template. Null {@code image}, {@code cpus}, {@code memoryMb}, {@code init} mean "not set
 * by the template"; {@code secrets} are secret names resolved when a sandbox is created from it.
 */
public record TemplateRow(String id, String userId, String name, String image, Integer cpus, Integer memoryMb,
                          Map<String, String> env, String init, List<String> secrets, Instant createdAt) {

    public TemplateRow {
        Check.text(id, "template id");
        Check.text(userId, "user id");
        Check.text(name, "template name");
        if (cpus != null) {
            Check.positive(cpus, "cpus");
        }
        if (memoryMb != null) {
            Check.positive(memoryMb, "memory_mb");
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        Objects.requireNonNull(createdAt, "created_at is required");
    }
}
