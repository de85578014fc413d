package dev.bhatti.server.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A user's secret, sealed: {@code ciphertext} is what the secret box produced, never the value.
 */
public record SecretRow(String userId, String name, byte[] ciphertext, Instant createdAt, Instant updatedAt) {

    public SecretRow {
        Check.text(userId, "user id");
        Check.text(name, "secret name");
        Objects.requireNonNull(ciphertext, "ciphertext is required");
        ciphertext = ciphertext.clone();
        Objects.requireNonNull(createdAt, "created_at is required");
        Objects.requireNonNull(updatedAt, "updated_at is required");
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretRow s && userId.equals(s.userId) && name.equals(s.name)
                && Arrays.equals(ciphertext, s.ciphertext) && createdAt.equals(s.createdAt)
                && updatedAt.equals(s.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, name, Arrays.hashCode(ciphertext), createdAt, updatedAt);
    }

    @Override
    public String toString() {
        return "SecretRow[userId=" + userId + ", name=" + name + ", ciphertext=" + ciphertext.length
                + " bytes, createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
