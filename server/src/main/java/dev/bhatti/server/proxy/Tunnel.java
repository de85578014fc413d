package dev.bhatti.server.proxy;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** Opens a byte stream to {@code localhost:<port>} inside a sandbox (the agent's forward). */
@FunctionalInterface
public interface Tunnel {
    SocketChannel open(int port) throws IOException;
}
