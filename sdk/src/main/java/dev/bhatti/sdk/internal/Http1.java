package dev.bhatti.sdk.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange per connection ({@code Connection: close}) over a plain socket, or TLS for
 * {@code https://}. A short-lived CLI makes one or two calls, so this is all it needs, and it
 * starts in a fraction of the time {@code java.net.http.HttpClient} takes to build (which sets up
 * TLS and a selector thread even for {@code http://}). Response bodies stream: fixed length,
 * chunked, or until the server closes.
 */
public final class Http1 {
    private static final int MAX_HEAD = 64 * 1024;

    private Http1() {}

    /**
     * A request: method, path with query, headers, and a body of {@code length} bytes read from
     * {@code body} ({@code null} and -1 for none). A {@code Host} among the headers replaces the
     * one derived from the URL; a {@code Content-Length} or {@code Transfer-Encoding} among them
     * replaces the {@code Content-Length} this class would write, and the body is then sent as
     * given (already chunked, say).
     */
    public record Request(String method, String path, Map<String, String> headers, InputStream body, long length) {
        /** A request with the bytes {@code body} ({@code null} for none). */
        public static Request of(String method, String path, Map<String, String> headers, byte[] body) {
            return new Request(method, path, headers, body == null ? null : new java.io.ByteArrayInputStream(body),
                    body == null ? -1 : body.length);
        }
    }

    /** A response whose body is read from the open connection; closing it closes the socket. */
    public record Response(int status, Map<String, String> headers, InputStream body) implements AutoCloseable {
        /** A header by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** Sends {@code request} to {@code base} on a new connection and reads the answer's head. */
    public static Response exchange(URI base, Request request, int connectTimeoutMillis) throws IOException {
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), port), connectTimeoutMillis);
            IOException unsent = send(socket.getOutputStream(), head(base, port, request), request);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
            String statusLine;
            try {
                statusLine = line(in);
            } catch (IOException e) {
                if (unsent != null) {
                    unsent.addSuppressed(e);
                    throw unsent;
                }
                throw e;
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = headers(in);
            boolean empty = request.method().equals("HEAD") || status == 204 || status == 304;
            return new Response(status, headers, body(empty ? InputStream.nullInputStream() : in, headers, socket, empty));
        } catch (NumberFormatException e) {
            socket.close();
            throw new IOException("bad status line or length in the answer", e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Writes the head and the body. A failure to write to the socket is returned, not thrown: a
     * server may answer before it has read the whole body (413 for a declared length over its
     * limit) and close the connection, and that answer is still there to read. A failure to read
     * the caller's body is thrown.
     */
    private static IOException send(OutputStream out, byte[] head, Request request) throws IOException {
        try {
            out.write(head);
        } catch (IOException e) {
            return e;
        }
        if (request.body() == null) {
            return flush(out);
        }
        byte[] buf = new byte[64 * 1024];
        long left = request.length();
        while (left > 0) {
            int n = request.body().read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("the request body ended " + left + " bytes short of its length");
            }
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                return e;
            }
            left -= n;
        }
        return flush(out);
    }

    private static IOException flush(OutputStream out) {
        try {
            out.flush();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static byte[] head(URI base, int port, Request request) {
        StringBuilder sb = new StringBuilder();
        String prefix = base.getRawPath() == null ? "" : base.getRawPath();
        sb.append(request.method()).append(' ').append(prefix).append(request.path()).append(" HTTP/1.1\r\n");
        if (!has(request, "Host")) {
            sb.append("Host: ").append(base.getHost()).append(':').append(port).append("\r\n");
        }
        sb.append("Connection: close\r\nUser-Agent: bhatti-sdk\r\n");
        request.headers().forEach((k, v) -> {
            if (k.indexOf('\r') >= 0 || k.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + k + " contains a line break");
            }
            sb.append(k).append(": ").append(v).append("\r\n");
        });
        boolean framedByCaller = has(request, "Content-Length") || has(request, "Transfer-Encoding");
        if (!framedByCaller && request.body() != null) {
            sb.append("Content-Length: ").append(request.length()).append("\r\n");
        } else if (!framedByCaller && !request.method().equals("GET") && !request.method().equals("HEAD")) {
            sb.append("Content-Length: 0\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean has(Request request, String header) {
        return request.headers().keySet().stream().anyMatch(k -> k.equalsIgnoreCase(header));
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            total += line.length();
            if (total > MAX_HEAD) {
                throw new IOException("response headers over " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private static InputStream body(InputStream in, Map<String, String> headers, Socket socket, boolean empty) {
        InputStream raw;
        if (empty) {
            raw = in;
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            raw = new Chunked(in);
        } else if (headers.containsKey("content-length")) {
            raw = new Bounded(in, Long.parseLong(headers.get("content-length")));
        } else {
            raw = in;
        }
        return new FilterInputStream(raw) {
            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /** One CRLF- (or LF-) terminated line of ASCII, without its terminator. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed inside the response head");
            }
            if (b.size() > MAX_HEAD) {
                throw new IOException("response line over " + MAX_HEAD + " bytes");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** A body decoder: single-byte reads go through the bulk read, which each decoder defines. */
    private abstract static class Body extends FilterInputStream {
        Body(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** At most {@code left} bytes, then end of stream. */
    private static final class Bounded extends Body {
        private long left;

        Bounded(InputStream in, long length) {
            super(in);
            this.left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed with " + left + " bytes of the body missing");
            }
            left -= n;
            return n;
        }
    }

    /** The chunked transfer coding decoded, each chunk handed on as soon as it arrives. */
    static final class Chunked extends Body {
        private long left;
        private boolean done;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semi = size.indexOf(';');
                try {
                    left = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size in the answer: " + size, e);
                }
                if (left == 0) {
                    for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                        // trailers are not used by the API
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in);
            }
            return n;
        }
    }
}
