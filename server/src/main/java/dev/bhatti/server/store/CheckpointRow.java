package dev.bhatti.server.store;

import java.time.Instant;

/**
 * A complete checkpoint of a sandbox: memory and disk as they were at {@code createdAt}
 * (decision 0022). {@code name} is unique per sandbox.
 */
public record CheckpointRow(String id, String userId, String sandboxId, String name, Instant createdAt, long sizeBytes) {}
