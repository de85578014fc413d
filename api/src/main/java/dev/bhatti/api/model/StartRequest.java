package dev.bhatti.api.model;

/** The body of {@code POST /sandboxes/:id/start}; {@code force} boots the disk, ignoring a snapshot. */
public record StartRequest(Boolean force) {}
