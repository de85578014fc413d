package dev.bhatti.agent.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP server on 127.0.0.1 with a random port, standing in for a program in the guest; each
 * connection runs {@link Handler} on its own virtual thread. What handlers report goes to
 * {@link #events()}.
 */
final class TargetServer implements AutoCloseable {
    interface Handler {
        void serve(Socket socket, BlockingQueue<String> events) throws IOException;
    }

    private final ServerSocket server;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    TargetServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        Thread.ofVirtual().start(() -> acceptLoop(handler));
    }

    /** Echoes everything back; on EOF reports "eof", then closes. */
    static TargetServer echo() throws IOException {
        return new TargetServer((socket, events) -> {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
                events.add("eof");
            }
        });
    }

    private void acceptLoop(Handler handler) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try {
                        handler.serve(s, events);
                    } catch (IOException e) {
                        events.add("error: " + e.getMessage());
                    }
                });
            } catch (IOException e) {
                if (!server.isClosed()) {
                    events.add("accept error: " + e.getMessage());
                }
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    BlockingQueue<String> events() {
        return events;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
