package dev.bhatti.server.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The status line and headers of an upstream HTTP/1.x response. */
record HttpHead(int status, List<Map.Entry<String, String>> headers) {
    static final int MAX_BYTES = 64 * 1024;

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    boolean has(String name, String token) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .anyMatch(h -> h.getValue().toLowerCase(Locale.ROOT).contains(token));
    }

    /** Reads one head; {@link UpstreamException} on EOF before it ends or a malformed status line. */
    static HttpHead read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new UpstreamException("the upstream did not answer HTTP: " + abbreviate(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new UpstreamException("the upstream sent a bad status line: " + abbreviate(statusLine));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int total = statusLine.length();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            total += l.length();
            int colon = l.indexOf(':');
            if (total > MAX_BYTES || colon <= 0) {
                throw new UpstreamException("the upstream sent a malformed or oversized header");
            }
            headers.add(Map.entry(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
        }
        return new HttpHead(status, List.copyOf(headers));
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new UpstreamException("the upstream closed the connection before a complete response head");
            }
            if (b.size() > MAX_BYTES) {
                throw new UpstreamException("the upstream sent an oversized header line");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
