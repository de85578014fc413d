package dev.bhatti.server.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of this API, kept in the repository as
 * {@code server/src/main/resources/openapi.json} and served without auth.
 */
final class OpenApiDocument {
    static final String PATH = "/openapi.json";
    private static final String RESOURCE = "/openapi.json";
    private static final byte[] DOCUMENT = load();

    private OpenApiDocument() {}

    static void serve(Context ctx) {
        ctx.status(200).contentType("application/json").result(DOCUMENT);
    }

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document " + RESOURCE, e);
        }
    }
}
