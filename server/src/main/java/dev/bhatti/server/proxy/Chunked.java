package dev.bhatti.server.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Decodes an HTTP/1.1 chunked body, flushing each chunk as it completes (trailers are dropped). */
final class Chunked {
    private Chunked() {}

    static void decode(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = HttpHead.line(in);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size from the upstream: " + sizeLine);
            }
            if (size == 0) {
                while (!HttpHead.line(in).isEmpty()) {
                    // trailers: not relayed
                }
                return;
            }
            HttpRelay.copy(in, out, size);
            HttpHead.line(in);
        }
    }
}
