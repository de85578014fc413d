package dev.bhatti.sdk;

import dev.bhatti.api.model.LifecycleEvent;
import dev.bhatti.sdk.internal.Codec;
import dev.bhatti.sdk.internal.Http1;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The caller's sandbox lifecycle events ({@code GET /events}, Server-Sent Events), read as the
 * daemon sends them.
 */
public final class Events {
    private final Transport transport;

    Events(Transport transport) {
        this.transport = transport;
    }

    /**
     * Follows the stream, calling {@code listener} with each event until it answers false or the
     * daemon ends the stream. Answers the id of the last event read (-1 when none), to resume from.
     *
     * @param sandbox     one sandbox's events only (id or name), or null for all of the caller's
     * @param lastEventId resume after this event (the retained ones after it come first), or -1 for new events only
     */
    public long follow(String sandbox, long lastEventId, Predicate<LifecycleEvent> listener) {
        String path = "/events" + (sandbox == null ? "" : "?sandbox=" + Transport.encode(sandbox));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        if (lastEventId >= 0) {
            headers.put("Last-Event-ID", Long.toString(lastEventId));
        }
        long last = -1;
        try (Http1.Response r = transport.send("GET", path, null, headers);
             BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                } else if (line.isEmpty() && !data.isEmpty()) {
                    LifecycleEvent e = parse(data.toString());
                    data.setLength(0);
                    last = e.id();
                    if (!listener.test(e)) {
                        return last;
                    }
                }
            }
        } catch (IOException e) {
            throw transport.failed(e);
        }
        return last;
    }

    private static LifecycleEvent parse(String json) {
        try {
            return Codec.value(Json.parse(json), LifecycleEvent.class);
        } catch (IllegalArgumentException e) {
            throw new ConnectionException("bad_response", "unreadable event: " + e.getMessage(), e);
        }
    }
}
