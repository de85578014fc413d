package dev.bhatti.server.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange relayed over a tunnel as HTTP/1.1 with {@code Connection: close}: the request
 * body streams up while the response streams down, each read flushed to the client at once (so
 * server-sent events arrive event by event). The upstream's status and headers pass through, minus
 * hop-by-hop ones; a chunked body is decoded (the server re-frames it).
 */
public final class HttpRelay {
    private static final Logger log = LoggerFactory.getLogger(HttpRelay.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length");

    private HttpRelay() {}

    /**
     * Sends {@code request} up {@code upstream} (which this closes) and writes the answer to
     * {@code response}. {@link UpstreamException} while nothing was sent to the client yet (the
     * caller answers 502); {@link BodyTooLargeException} when the body passes {@code maxBody}.
     */
    public static void exchange(ProxyRequest request, String upstreamHost, SocketChannel upstream,
                                HttpServletResponse response, long maxBody) throws IOException {
        if (request.contentLength() > maxBody) {
            upstream.close();
            throw new BodyTooLargeException(maxBody);
        }
        try (upstream) {
            OutputStream up = new BufferedOutputStream(ChannelStreams.out(upstream), 16 * 1024);
            up.write(head(request, upstreamHost).getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            AtomicReference<IOException> uploadFailure = new AtomicReference<>();
            Thread upload = request.hasBody()
                    ? Thread.ofVirtual().name("proxy-upload").start(() -> upload(request, up, maxBody, uploadFailure))
                    : null;
            InputStream down = new BufferedInputStream(ChannelStreams.in(upstream), 16 * 1024);
            HttpHead head;
            try {
                head = HttpHead.read(down);
                while (head.status() >= 100 && head.status() < 200) {
                    head = HttpHead.read(down);
                }
            } catch (IOException e) {
                if (uploadFailure.get() instanceof BodyTooLargeException tooLarge) {
                    throw tooLarge;
                }
                throw e instanceof UpstreamException ? e : new UpstreamException("reading the upstream's answer failed: " + e.getMessage(), e);
            }
            response.setStatus(head.status());
            for (Map.Entry<String, String> h : head.headers()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("content-type")) {
                    response.setContentType(h.getValue());
                } else if (!HOP_BY_HOP.contains(name)) {
                    response.addHeader(h.getKey(), h.getValue());
                }
            }
            body(request, head, down, response);
            if (upload != null) {
                upload.interrupt();
            }
        }
    }

    private static String head(ProxyRequest request, String upstreamHost) {
        StringBuilder h = new StringBuilder();
        h.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(upstreamHost).append("\r\n");
        for (Map.Entry<String, String> e : request.headers()) {
            h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        if (request.contentLength() >= 0 && !request.chunked()) {
            h.append("Content-Length: ").append(request.contentLength()).append("\r\n");
        } else if (request.chunked()) {
            h.append("Transfer-Encoding: chunked\r\n");
        }
        return h.append("Connection: close\r\n\r\n").toString();
    }

    private static void upload(ProxyRequest request, OutputStream up, long maxBody, AtomicReference<IOException> failure) {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = request.body()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
                if (total > maxBody) {
                    throw new BodyTooLargeException(maxBody);
                }
                if (request.chunked()) {
                    up.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    up.write(buf, 0, n);
                    up.write(CRLF);
                } else {
                    up.write(buf, 0, n);
                }
            }
            if (request.chunked()) {
                up.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            up.flush();
        } catch (IOException e) {
            failure.set(e);
            log.debug("event=proxy_upload_ended error=\"{}\"", e.getMessage());
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private static void body(ProxyRequest request, HttpHead head, InputStream down, HttpServletResponse response) throws IOException {
        int status = head.status();
        if (request.method().equals("HEAD") || status == 204 || status == 304) {
            head.header("Content-Length").ifPresent(v -> response.setHeader("Content-Length", v));
            return;
        }
        OutputStream out = response.getOutputStream();
        if (head.has("Transfer-Encoding", "chunked")) {
            Chunked.decode(down, out);
        } else {
            var length = head.header("Content-Length").map(Long::parseLong);
            length.ifPresent(response::setContentLengthLong);
            copy(down, out, length.orElse(Long.MAX_VALUE));
        }
        out.flush();
    }

    /** Copies up to {@code limit} bytes (or to EOF), flushing after every read. */
    static void copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long left = limit;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
            out.flush();
            left -= n;
        }
    }
}
