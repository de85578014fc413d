/**
 * The bodies of the HTTP API as records, no dependencies: each record component is one JSON field,
 * named in snake_case on the wire ({@code memoryMb} is {@code memory_mb}); a {@code null}
 * component is left out of a request so that the daemon's default applies.
 */
package dev.bhatti.api.model;
