package dev.bhatti.cli.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** API paths for a sandbox given by id or name (the daemon resolves both). */
final class Paths {
    private Paths() {
    }

    static String sandbox(String idOrName) {
        return "/sandboxes/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8);
    }
}
