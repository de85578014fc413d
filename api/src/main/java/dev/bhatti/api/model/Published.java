package dev.bhatti.api.model;

/** A published port: its public alias and URL. */
public record Published(String id, String sandboxId, int port, String alias, String url, String createdAt) {}
