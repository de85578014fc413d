package dev.bhatti.cli.shell;

import dev.bhatti.sdk.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the daemon sends (SPEC §4.2): first a text message {@code {"type":"session","session_id":...}},
 * then terminal output as binary messages, written to the local output as they come. A close
 * with 1000 means the shell exited; any other close or an error means the connection was lost.
 */
final class Inbound implements WebSocket.Listener {
    /** RFC 6455 7.4.1: the connection ended without a close frame (reported locally, never sent). */
    static final int ABNORMAL_CLOSURE = 1006;

    private final OutputStream out;
    private final CompletableFuture<Outcome> outcome;
    private final CompletableFuture<String> session = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();


    Inbound(OutputStream out, CompletableFuture<Outcome> outcome) {
        this.out = out;
        this.outcome = outcome;
    }

    /** Completes with the session id; never completes when the socket ends first. */
    CompletableFuture<String> session() {
        return session;
    }

    /** Completes when the daemon's close arrives or the connection fails. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            try {
                Object message = Json.parse(text.toString());
                if (message instanceof Map<?, ?> m && "session".equals(m.get("type"))) {
                    session.complete(String.valueOf(m.get("session_id")));
                }
            } catch (IllegalArgumentException e) {
                outcome.complete(new Outcome.Lost("unexpected message from the daemon: " + e.getMessage()));
            }
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            outcome.complete(new Outcome.Lost("cannot write to the local terminal: " + e.getMessage()));
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        outcome.complete(switch (code) {
            case WebSocket.NORMAL_CLOSURE -> new Outcome.Exited(reason);
            case ABNORMAL_CLOSURE -> new Outcome.Lost("the connection to the daemon dropped");
            default -> new Outcome.Lost("the daemon closed the connection (" + code
                    + (reason.isEmpty() ? "" : ": " + reason) + ")");
        });
        closed.complete(null);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        outcome.complete(new Outcome.Lost(error.getMessage() == null ? error.toString() : error.getMessage()));
        closed.complete(null);
    }
}
