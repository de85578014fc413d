package dev.bhatti.server.store;

import java.time.Instant;
import java.util.Objects;

/** A user's persistent volume: a sparse ext4 image of {@code sizeMb}. */
public record VolumeRow(String userId, String name, int sizeMb, Instant createdAt) {

    public VolumeRow {
        Check.text(userId, "user id");
        Check.text(name, "volume name");
        Check.positive(sizeMb, "size_mb");
        Objects.requireNonNull(createdAt, "created_at is required");
    }
}
