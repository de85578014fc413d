package dev.bhatti.api.model;

/** A shell or exec session in a sandbox ({@code GET /sandboxes/:id/sessions}); {@code createdAt} in unix seconds. */
public record Session(String sessionId, String argv, boolean tty, boolean running, Integer exitCode,
                      boolean attached, long createdAt) {}
