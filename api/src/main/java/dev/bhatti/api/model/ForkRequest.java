package dev.bhatti.api.model;

/**
 * The body of {@code POST /sandboxes/:id/fork}: how many children (1..10, {@code null}: 1) and
 * their name ({@code null}: {@code <parent>-fork-<n>}; with more than one, {@code <name>-1..N}).
 */
public record ForkRequest(Integer count, String name) {}
