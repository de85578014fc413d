package dev.bhatti.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@link Raw} puts on the wire and reads back, against one-shot servers on loopback. */
class RawHeadersTest {
    /** Sends one request through {@code call} and answers the bytes the server received. */
    private static String received(String key, java.util.function.Consumer<Raw> call) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String request = readRequest(s);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return request;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            call.accept(Bhatti.connect("http://127.0.0.1:" + server.getLocalPort(), key).raw());
            return seen.get(10, TimeUnit.SECONDS);
        }
    }

    /** The head and whatever body follows it within 300 ms (the client then waits for the answer). */
    private static String readRequest(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            b.write(in.read());
        }
        s.setSoTimeout(300);
        byte[] more = new byte[4096];
        try {
            for (int n = in.read(more); n > 0; n = in.read(more)) {
                b.write(more, 0, n);
            }
        } catch (java.net.SocketTimeoutException done) {
            // nothing more is coming before the answer
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aClientWithoutAKeySendsNoAuthorizationAndOneWithAKeySendsItAsBearer() throws Exception {
        assertThat(received(null, raw -> raw.send("GET", "/x", Map.of(), null))).doesNotContainIgnoringCase("authorization");
        assertThat(received("", raw -> raw.send("GET", "/x", Map.of(), null))).doesNotContainIgnoringCase("authorization");
        assertThat(received("bht_k", raw -> raw.send("GET", "/x", Map.of(), null))).contains("\r\nAuthorization: Bearer bht_k\r\n");
        assertThat(received("bht_k", raw -> raw.send("GET", "/x", Map.of("authorization", "Basic eA=="), null)))
                .contains("\r\nauthorization: Basic eA==\r\n").doesNotContain("Bearer");
    }

    @Test
    void aHostHeaderReplacesTheOneOfTheUrl() throws Exception {
        String request = received(null, raw -> raw.send("GET", "/", Map.of("Host", "shop.preview.test"), null));
        assertThat(request).contains("\r\nHost: shop.preview.test\r\n");
        assertThat(request.split("(?i)\r\nhost:", -1)).as("one Host header").hasSize(2);
    }

    @Test
    void aBodyFramedByTheCallerIsSentAsGivenWithoutAContentLength() throws Exception {
        byte[] chunked = "1\r\nx\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String request = received(null, raw -> raw.send("PUT", "/f", Map.of("Transfer-Encoding", "chunked"), chunked));
        assertThat(request).doesNotContainIgnoringCase("content-length").endsWith("\r\n\r\n1\r\nx\r\n0\r\n\r\n");
        assertThat(received(null, raw -> raw.send("PUT", "/f", Map.of(), "ab".getBytes(StandardCharsets.US_ASCII))))
                .contains("\r\nContent-Length: 2\r\n").endsWith("\r\n\r\nab");
    }

    @Test
    void anAnswerSentBeforeTheBodyWasReadIsReturnedNotLostAsABrokenPipe() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    while (!head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        head.write(in.read());
                    }
                    // As the daemon does for a declared length over its limit: answer, then hang up unread.
                    s.getOutputStream().write(("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 2\r\n"
                            + "Connection: close\r\n\r\nno").getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                    in.readNBytes(1 << 20); // the client is well into its body, the answer long sent: hang up
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Raw raw = Bhatti.connect("http://127.0.0.1:" + server.getLocalPort(), null).raw();
            Raw.Response r = raw.send("POST", "/big", Map.of(), new byte[32 << 20]);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).isEqualTo("no");
            done.get(10, TimeUnit.SECONDS);
        }
    }
}
