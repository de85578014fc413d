package dev.bhatti.api.model;

/**
 * A shell or exec session in a sandbox ({@code GET /sandboxes/:id/sessions}); {@code createdAt} in
 * unix seconds, {@code pid} the process in the guest, {@code label} what its client labelled it
 * (the E2B layer's processes), null for none.
 */
public record Session(String sessionId, String argv, boolean tty, boolean running, Integer exitCode,
                      boolean attached, long createdAt, Integer pid, String label) {}
