package dev.bhatti.cli.shell;

import dev.bhatti.sdk.Sandbox;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One terminal connection: upgrade, wait for the session message, then relay both ways (the
 * window size first and after every change) until an {@link Outcome}. The socket is always
 * released; the local terminal is the caller's to restore.
 */
final class ShellSession {
    /** How long a detach waits for the daemon to acknowledge the close before dropping the socket. */
    static final int CLOSE_WAIT_SEC = 5;
    /** Client pings, well inside the daemon's 30 s idle timeout. */
    static final int KEEPALIVE_SEC = 10;

    private final Sandbox sandbox;
    private final LocalTerminal local;

    /** The session id (empty when the socket ended before naming one) and how it ended. */
    record Result(String sessionId, Outcome outcome) {}

    ShellSession(Sandbox sandbox, LocalTerminal local) {
        this.sandbox = sandbox;
        this.local = local;
    }

    /** Runs the session; {@code query} is the WebSocket's query string (empty for the default). */
    Result run(String query) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Inbound inbound = new Inbound(local.output(), outcome);
        WebSocket ws = sandbox.terminal(query, inbound).webSocket();
        ScheduledExecutorService keepalive = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("shell-keepalive").factory());
        try {
            Outbound outbound = new Outbound(ws, outcome);
            keepalive.scheduleAtFixedRate(outbound::ping, KEEPALIVE_SEC, KEEPALIVE_SEC, TimeUnit.SECONDS);
            CompletableFuture.anyOf(inbound.session(), outcome).join();
            if (!outcome.isDone()) {
                relay(outbound, outcome);
            }
            Outcome ended = outcome.join();
            if (ended instanceof Outcome.Detached) {
                closeNormally(outbound, inbound);
            }
            return new Result(inbound.session().getNow(""), ended);
        } finally {
            keepalive.shutdownNow();
            ws.abort();
        }
    }

    private void relay(Outbound outbound, CompletableFuture<Outcome> outcome) {
        Runnable resize = () -> local.size().ifPresent(s -> outbound.resize(s.rows(), s.cols()));
        resize.run();
        local.onResize(resize);
        Thread.ofPlatform().daemon().name("shell-keystrokes")
                .start(new Keystrokes(local.input(), outbound::keys, outcome));
    }

    /**
     * Sends the close and waits (bounded) for the daemon's reply. A close that fails or times out
     * changes nothing: the daemon detaches the session as well when the connection just drops.
     */
    private static void closeNormally(Outbound outbound, Inbound inbound) {
        outbound.close().thenCompose(ws -> inbound.closed())
                .completeOnTimeout(null, CLOSE_WAIT_SEC, TimeUnit.SECONDS)
                .exceptionally(error -> null)
                .join();
    }
}
