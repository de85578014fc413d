package dev.bhatti.sdk;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.api.ExecEvent;
import dev.bhatti.api.model.ExecRequest;
import dev.bhatti.sdk.internal.Http1;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** A streamed exec: NDJSON events read line by line as the daemon sends them. */
final class ExecStream {
    static final String NDJSON = "application/x-ndjson";

    private ExecStream() {}

    static ExecEvent run(Transport transport, String path, ExecRequest request, Consumer<ExecEvent> listener) {
        try (Http1.Response r = transport.send("POST", path, request, Map.of("Accept", NDJSON));
             BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                ExecEvent event = event(line);
                if (event == null) {
                    continue;
                }
                listener.accept(event);
                if (event instanceof ExecEvent.Exit || event instanceof ExecEvent.Error) {
                    return event;
                }
            }
        } catch (IOException e) {
            throw transport.failed(e);
        }
        throw new ConnectionException("stream_ended", "the exec stream ended without an exit code", null);
    }

    /** One line as its event; {@code null} for a type this SDK does not know. */
    static ExecEvent event(String line) {
        Object tree;
        try {
            tree = Json.parse(line);
        } catch (IllegalArgumentException e) {
            throw new ConnectionException("bad_response", "unreadable exec event: " + e.getMessage(), e);
        }
        if (!(tree instanceof Map<?, ?> m)) {
            return null;
        }
        String data = m.get("data") instanceof String s ? s : "";
        return switch (String.valueOf(m.get("type"))) {
            case "stdout" -> new ExecEvent.Stdout(data);
            case "stderr" -> new ExecEvent.Stderr(data);
            case "exit" -> new ExecEvent.Exit(m.get("exit_code") instanceof Number n ? n.intValue() : 1);
            case "error" -> new ExecEvent.Error(
                    m.get("code") instanceof String c ? ErrorCode.of(c).orElse(null) : null, data);
            default -> null;
        };
    }
}
