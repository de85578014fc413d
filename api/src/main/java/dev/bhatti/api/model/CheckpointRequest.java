package dev.bhatti.api.model;

/** The body of {@code POST /sandboxes/:id/checkpoints}; {@code name} unique in the sandbox ({@code null}: its id). */
public record CheckpointRequest(String name) {}
