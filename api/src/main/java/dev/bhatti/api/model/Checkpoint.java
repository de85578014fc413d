package dev.bhatti.api.model;

/**
 * A checkpoint of a sandbox: its memory and disk at {@code createdAt}; {@code sizeBytes} is what
 * its files take on disk and count against the storage quota.
 */
public record Checkpoint(String id, String sandboxId, String name, String createdAt, long sizeBytes) {}
