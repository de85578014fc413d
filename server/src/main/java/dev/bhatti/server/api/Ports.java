package dev.bhatti.server.api;

import dev.bhatti.api.ThermalState;
import dev.bhatti.client.AgentClient;
import dev.bhatti.client.ExecResult;
import dev.bhatti.proto.ExecRequest;
import dev.bhatti.proto.Wire;
import dev.bhatti.server.sandbox.SandboxView;
import dev.bhatti.server.sandbox.Sandboxes;
import dev.bhatti.server.store.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listening TCP ports of a guest, read from /proc/net/tcp{,6} (state 0A = LISTEN), minus the agent's own. */
final class Ports {
    private static final Logger log = LoggerFactory.getLogger(Ports.class);

    private Ports() {}

    static List<Map<String, Object>> of(String sandboxId, AgentClient agent) throws IOException {
        ExecResult r = agent.exec(ExecRequest.builder("cat", "/proc/net/tcp", "/proc/net/tcp6").timeoutSec(10).build());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int port : listening(r.stdout())) {
            out.add(Map.of("container_port", port, "proxy_url", "/sandboxes/" + sandboxId + "/proxy/" + port + "/"));
        }
        return out;
    }

    static TreeSet<Integer> listening(String procNetTcp) {
        TreeSet<Integer> ports = new TreeSet<>();
        for (String line : procNetTcp.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && "0A".equals(f[3]) && f[1].contains(":")) {
                int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                if (port != Wire.CONTROL_PORT && port != Wire.FORWARD_PORT) {
                    ports.add(port);
                }
            }
        }
        return ports;
    }

    /** Ports of the user's hot sandboxes only; nothing is woken. */
    static List<Map<String, Object>> acrossHot(Sandboxes sandboxes, User user) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SandboxView s : sandboxes.list(user, Map.of())) {
            if (!ThermalState.HOT.wire().equals(s.thermal())) {
                continue;
            }
            try {
                for (Map<String, Object> p : of(s.id(), sandboxes.agentIfHot(s.id()))) {
                    var withId = new java.util.LinkedHashMap<String, Object>(p);
                    withId.put("sandbox_id", s.id());
                    withId.put("sandbox_name", s.name());
                    out.add(withId);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("event=ports_failed sandbox={} error=\"{}\"", s.id(), e.getMessage());
            }
        }
        return out;
    }
}
