package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests Jetty refuses before the API sees them (an HTTP/2 request line, a broken header) are
 * answered in the API's JSON error shape and never echo the request URI with its {@code ?token=}.
 */
class JettyErrorPagesTest {
    private static final String SECRET = "bht_SECRETSECRET0123456789";
    private static DaemonFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new DaemonFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET /sandboxes?token=" + SECRET + " HTTP/2.0\\r\\n\\r\\n                     | 426 | upgrade_required",
        "GET /sandboxes?token=" + SECRET + " HTTP/1.1\\r\\nHost: x\\r\\nBad Header\\r\\n\\r\\n | 400 | bad_request"})
    void malformedRequestsAreAnsweredWithoutEchoingTheToken(String request, int status, String code) throws Exception {
        String answer = exchange(request.strip().replace("\\r\\n", "\r\n"));
        assertThat(answer).startsWith("HTTP/1.1 " + status + " ").doesNotContain(SECRET).doesNotContain("token=")
                .contains("\"code\":\"" + code + "\"").contains("application/json").doesNotContain("<html>");
    }

    private static String exchange(String raw) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fx.daemon.port())) {
            s.setSoTimeout(3_000);
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            StringBuilder out = new StringBuilder();
            byte[] buf = new byte[4096];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                // the answer is complete; the connection stayed open
            }
            return out.toString();
        }
    }
}
