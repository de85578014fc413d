package dev.bhatti.api.model;

/** One entry of {@code GET /sandboxes/:id/files?ls=true}; {@code mtime} in unix seconds. */
public record FileEntry(String name, long size, String mode, boolean isDir, long mtime) {}
