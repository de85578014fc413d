package dev.bhatti.server.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request as it goes to the upstream: method, target (raw path and query), the client's headers
 * minus hop-by-hop ones, plus {@code X-Forwarded-For/Proto/Host}.
 *
 * @param contentLength the body's length, or -1 when it is chunked or absent ({@code chunked} says which)
 */
public record ProxyRequest(String method, String target, List<Map.Entry<String, String>> headers,
                           long contentLength, boolean chunked, InputStream body) {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authorization", "host", "content-length",
            "x-forwarded-proto", "x-forwarded-host");

    /**
     * @param target           what follows the proxy prefix: raw path (starting with /) and query
     * @param dropCredentials  also drop the caller's {@code Authorization} (the bhatti API key must
     *                         never reach code in the sandbox)
     */
    public static ProxyRequest of(HttpServletRequest req, String target, boolean dropCredentials) throws IOException {
        Set<String> drop = new HashSet<>(HOP_BY_HOP);
        for (String c : Collections.list(req.getHeaders("Connection"))) {
            for (String token : c.split(",")) {
                drop.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (dropCredentials) {
            drop.add("authorization");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String forwardedFor = null;
        for (String name : Collections.list(req.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("x-forwarded-for")) {
                forwardedFor = String.join(", ", Collections.list(req.getHeaders(name)));
            } else if (!drop.contains(lower) && !lower.startsWith("sec-websocket-")) {
                for (String v : Collections.list(req.getHeaders(name))) {
                    headers.add(Map.entry(name, v));
                }
            }
        }
        String client = req.getRemoteAddr();
        headers.add(Map.entry("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client));
        headers.add(Map.entry("X-Forwarded-Proto", req.getScheme()));
        String host = req.getHeader("Host");
        if (host != null) {
            headers.add(Map.entry("X-Forwarded-Host", host));
        }
        String te = req.getHeader("Transfer-Encoding");
        boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        return new ProxyRequest(req.getMethod(), target, List.copyOf(headers), req.getContentLengthLong(), chunked,
                req.getInputStream());
    }

    /** The raw path after the first {@code skip} segments, plus the query without {@code token}. */
    public static String target(HttpServletRequest req, int skip) {
        String uri = req.getRequestURI();
        int at = 0;
        for (int i = 0; i <= skip && at >= 0; i++) {
            at = uri.indexOf('/', at + (i == 0 ? 0 : 1));
        }
        String path = at < 0 ? "/" : uri.substring(at);
        String query = req.getQueryString();
        if (query == null) {
            return path;
        }
        String kept = Arrays.stream(query.split("&")).filter(p -> !p.equals("token") && !p.startsWith("token="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? path : path + "?" + kept;
    }

    boolean hasBody() {
        return contentLength > 0 || chunked;
    }
}
