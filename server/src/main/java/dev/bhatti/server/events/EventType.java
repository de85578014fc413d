package dev.bhatti.server.events;

import java.util.Locale;

/** What happened to a sandbox: the closed set {@code GET /events} reports (docs/api.md). */
public enum EventType {
    CREATED, WOKE, PAUSED, STOPPED, STARTED, DESTROYED, FAILED, FORKED, CHECKPOINTED, RESTORED;

    /** The wire name: lower case. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
