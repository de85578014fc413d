package dev.bhatti.agent.forward;

import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.ForwardRequest;
import java.io.IOException;

/** Relays a forward-port connection to a TCP port on the guest's loopback (SPEC §1.4). */
public final class Forwarder {
    public void relay(ForwardRequest request, Connection conn) throws IOException {
        conn.tryError("forward: in progress");
    }
}
