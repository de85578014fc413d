package dev.bhatti.api.model;

/**
 * A port listening in a sandbox and its proxy path on the daemon ({@code GET /sandboxes/:id/ports});
 * {@code GET /ports} adds the sandbox's id and name.
 */
public record Port(int containerPort, String proxyUrl, String sandboxId, String sandboxName) {}
