package dev.bhatti.server.store;

import java.time.Instant;
import java.util.Objects;

/** A public route: requests for {@code alias} go to {@code port} of the sandbox. */
public record PublishRow(String id, String userId, String sandboxId, int port, String alias, Instant createdAt) {

    public PublishRow {
        Check.text(id, "publish id");
        Check.text(userId, "user id");
        Check.text(sandboxId, "sandbox id");
        Check.port(port);
        Check.text(alias, "alias");
        Objects.requireNonNull(createdAt, "created_at is required");
    }
}
