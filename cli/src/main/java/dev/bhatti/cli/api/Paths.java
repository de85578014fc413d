package dev.bhatti.cli.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** API paths with their user-given parts encoded, for the listings read as the daemon's JSON. */
public final class Paths {
    private Paths() {
    }

    public static String sandbox(String idOrName) {
        return of("/sandboxes", idOrName);
    }

    /** {@code collection/name}, e.g. {@code /volumes/data}. */
    public static String of(String collection, String name) {
        return collection + "/" + encode(name);
    }

    /** One path segment or query value, percent-encoded. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
