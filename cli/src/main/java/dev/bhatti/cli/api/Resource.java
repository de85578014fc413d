package dev.bhatti.cli.api;

import dev.bhatti.cli.output.Table;

/**
 * One of the daemon's per-user collections (secrets, volumes, templates): its API path, what one
 * item is called in messages, and the table {@code list} prints.
 */
public record Resource(String path, String kind, Table table) {
}
