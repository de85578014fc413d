package dev.bhatti.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user of the platform. {@code keyHash} is the lowercase hex SHA-256 of the user's API key; the
 * key itself is never stored.
 */
public record User(String id, String name, String keyHash, Limits limits, Instant createdAt) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public User {
        Check.text(id, "user id");
        Check.text(name, "user name");
        Objects.requireNonNull(keyHash, "key hash is required");
        if (!SHA256_HEX.matcher(keyHash).matches()) {
            throw new IllegalArgumentException("key hash must be 64 lowercase hex characters");
        }
        Objects.requireNonNull(limits, "limits are required");
        Objects.requireNonNull(createdAt, "created_at is required");
    }

    public User withKeyHash(String newKeyHash) {
        return new User(id, name, newKeyHash, limits, createdAt);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", name=" + name + ", limits=" + limits + ", createdAt=" + createdAt + "]";
    }
}
