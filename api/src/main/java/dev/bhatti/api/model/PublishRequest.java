package dev.bhatti.api.model;

/** The body of {@code POST /sandboxes/:id/publish}; without {@code alias} the daemon picks one. */
public record PublishRequest(Integer port, String alias) {}
