package dev.bhatti.server.api;

import dev.bhatti.proto.Json;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own answers to requests that never reach the API (a malformed request line or header,
 * an HTTP/2 request line on the HTTP/1.1 connector) in the API's {@code {"error","code"}} shape.
 * Jetty's default page echoes the request URI, and with it a {@code ?token=} key; this one names
 * only the status, never the URI, a header or Jetty's parser message.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        Map<String, Object> body = new LinkedHashMap<>();
        String reason = HttpStatus.getMessage(code);
        body.put("error", code == 426 ? "HTTP/2 is not served on this port: use HTTP/1.1"
                : "malformed HTTP request (" + code + " " + reason + ")");
        body.put("code", ErrorResponses.ofJettyStatus(code).code());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Json.encode(body)), callback);
    }
}
