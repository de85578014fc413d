package dev.bhatti.api.model;

/**
 * One sandbox lifecycle event of {@code GET /events} (docs/api.md): {@code type} is one of
 * created, woke, paused, stopped, started, destroyed, failed, forked, checkpointed, restored;
 * {@code cause} one of api, thermal, public_preview, recovery, shutdown; {@code from} and
 * {@code thermal} the thermal states before and after, {@code durationMs} how long it took, each
 * where it applies (else null).
 */
public record LifecycleEvent(long id, String time, String type, String sandboxId, String sandboxName, String cause,
                             String from, String thermal, Long durationMs, String detail) {}
