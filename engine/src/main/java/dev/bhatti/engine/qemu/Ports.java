package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The loopback ports forwarded to the agent's control (1024) and forward (1025) ports. */
record Ports(int control, int forward) {

    /** Two currently free ephemeral ports on 127.0.0.1 (QEMU binds them; a lost race is retried by the caller). */
    static Ports pick() {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Ports(a.getLocalPort(), b.getLocalPort());
        } catch (IOException e) {
            throw new EngineException.VmmFailed("no free loopback port: " + e.getMessage(), e);
        }
    }
}
