package dev.bhatti.server.e2b;

import dev.bhatti.client.AgentClient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * envd's {@code WatchDir} by polling: the directory is listed every {@link #POLL_MS} and each
 * difference is an event (a new entry {@code create}, a changed mtime or size {@code write}, a gone
 * one {@code remove}), its name relative to the directory. The guest has no inotify service, so
 * an event comes up to one poll after the change; nothing is missed that outlives a poll.
 */
public final class E2bWatch {
    static final long POLL_MS = 300;
    static final long KEEPALIVE_MS = 20_000;

    private E2bWatch() {}

    /**
     * Streams the watch until {@code deadlineMs} (0: none) or the caller goes away (a write fails).
     * A missing or non-directory path fails before the start event.
     */
    public static void run(AgentClient agent, E2bFs.User user, String dir, boolean recursive, long deadlineMs,
                           OutputStream out) throws IOException {
        Map<String, String> before = E2bFs.snapshot(agent, user, dir, recursive);
        Connect.send(out, Map.of("start", Map.of()));
        long end = deadlineMs > 0 ? System.nanoTime() + deadlineMs * 1_000_000 : Long.MAX_VALUE;
        long lastSent = System.nanoTime();
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Map<String, String> now;
            try {
                now = E2bFs.snapshot(agent, user, dir, recursive);
            } catch (Connect.Error gone) {
                return; // the directory itself went away: the watch ends
            }
            boolean sent = false;
            for (var e : now.entrySet()) {
                String was = before.get(e.getKey());
                if (was == null) {
                    event(out, e.getKey(), "EVENT_TYPE_CREATE");
                    sent = true;
                } else if (!was.equals(e.getValue())) {
                    event(out, e.getKey(), "EVENT_TYPE_WRITE");
                    sent = true;
                }
            }
            for (String gone : before.keySet()) {
                if (!now.containsKey(gone)) {
                    event(out, gone, "EVENT_TYPE_REMOVE");
                    sent = true;
                }
            }
            before = now;
            if (sent) {
                lastSent = System.nanoTime();
            } else if (System.nanoTime() - lastSent > KEEPALIVE_MS * 1_000_000) {
                Connect.send(out, Map.of("keepalive", Map.of()));
                lastSent = System.nanoTime();
            }
        }
    }

    private static void event(OutputStream out, String name, String type) throws IOException {
        Connect.send(out, Map.of("filesystem", Map.of("name", name, "type", type)));
    }
}
