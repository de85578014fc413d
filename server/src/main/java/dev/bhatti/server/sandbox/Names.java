package dev.bhatti.server.sandbox;

import dev.bhatti.server.api.ApiException;
import java.util.regex.Pattern;

/** Name rules of SPEC §4.2. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$");

    private Names() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static void requireValid(String name) {
        if (!valid(name)) {
            throw new ApiException.Invalid("invalid_name", "name must match " + NAME.pattern() + ", got \""
                    + (name == null ? "" : name) + "\"");
        }
    }
}
