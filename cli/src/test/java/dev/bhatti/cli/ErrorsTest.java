package dev.bhatti.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How API failures are shown: {@code Error: <message>}, a hint chosen by code, exit 1. The bodies
 * are canned error responses from a loopback HTTP server, in the daemon's documented format.
 */
class ErrorsTest {
    /** A canned daemon answer and what the CLI must make of it. */
    record Case(int status, String body, String message, String hint) {
        @Override
        public String toString() {
            return status + " " + message;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case(429, "{\"error\":\"sandbox limit reached (5/5)\",\"code\":\"quota_exceeded\"}",
                        "Error: sandbox limit reached (5/5)\n", "hint: your user's limits are reached"),
                new Case(429, "{\"error\":\"storage quota exceeded: 1500 MiB in use\",\"code\":\"storage_quota_exceeded\"}",
                        "Error: storage quota exceeded: 1500 MiB in use\n", "hint: root disks and volumes share your storage quota"),
                new Case(507, "{\"error\":\"not enough free disk on the host\",\"code\":\"host_disk_full\"}",
                        "Error: not enough free disk on the host\n", "hint: the daemon's host is short of disk space"),
                new Case(429, "{\"error\":\"rate limit exceeded\",\"code\":\"rate_limited\"}",
                        "Error: rate limit exceeded\n", "hint: too many requests for now"),
                new Case(500, "{\"error\":\"internal error\",\"code\":\"internal_error\",\"request_id\":\"req_0123abcd\"}",
                        "Error: internal error (request id req_0123abcd)\n", "hint: the daemon's log has the details"),
                new Case(409, "{\"error\":\"volume name v is already in use\",\"code\":\"name_conflict\"}",
                        "Error: volume name v is already in use\n", "hint: choose another name\n"),
                new Case(502, "<html>bad gateway</html>", "Error: HTTP 502\n", ""));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void apiErrorsShowTheMessageAndAHintByCode(Case c) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(c.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            InProcessRun r = InProcessRun.of("volume", "list", "--url", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "x");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).startsWith(c.message()).contains(c.hint());
            assertThat(r.err().lines()).hasSize(c.hint().isEmpty() ? 1 : 2);
        } finally {
            server.stop(0);
        }
    }
}
