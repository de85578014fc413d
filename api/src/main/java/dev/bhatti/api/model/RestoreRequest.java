package dev.bhatti.api.model;

/** The body of {@code POST /sandboxes/:id/restore}: the id or name of one of the sandbox's checkpoints. */
public record RestoreRequest(String checkpoint) {}
