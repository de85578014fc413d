package dev.bhatti.api.model;

/** {@code GET /health} (no key needed): {@code ok}, how many sandboxes, uptime, the daemon's version. */
public record Health(String status, int sandboxes, String uptime, String version) {}
