package dev.bhatti.server.sandbox;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.server.api.ApiException;
import java.util.regex.Pattern;

/** Name rules of SPEC §4.2. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$");

    private Names() {}

    /** Sandbox ids are {@code sb-} and 12 hex digits ({@link Creation}); no name may look like one. */
    private static final Pattern SANDBOX_ID = Pattern.compile("^sb-[0-9a-fA-F]{12}$");

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static void requireValid(String name) {
        if (!valid(name)) {
            throw new ApiException(ErrorCode.INVALID_NAME, "name must match " + NAME.pattern() + ", got \""
                    + (name == null ? "" : name) + "\"");
        }
    }

    /**
     * A valid name that cannot be taken for a sandbox id: lookups try the id first, so a sandbox
     * named like an id could never be reached by its name.
     */
    static void requireSandboxName(String name) {
        requireValid(name);
        if (SANDBOX_ID.matcher(name).matches()) {
            throw reserved(name);
        }
    }

    /** The answer to a sandbox name that is (or looks like) a sandbox id. */
    static ApiException reserved(String name) {
        return new ApiException(ErrorCode.NAME_IS_SANDBOX_ID, "name \"" + name
                + "\" is a sandbox id (or looks like one: sb- and 12 hex digits); sandbox names must not be ids");
    }
}
