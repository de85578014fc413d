package dev.bhatti.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps API keys out of anything the CLI echoes back (picocli's "Unknown options: ..." lists the
 * arguments it could not place, a bad URL is quoted in its error): the value of {@code --token}
 * (also {@code --token=KEY}), {@code BHATTI_TOKEN}, and any {@code token=} query value are shown
 * as {@link #MASK}.
 */
final class Redaction {
    static final String MASK = "****";
    private static final Pattern QUERY_TOKEN = Pattern.compile("((?:^|[?&;\\s'\"])(?:auth_)?token=)[^&\\s'\"#]+",
            Pattern.CASE_INSENSITIVE);

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    /** The secrets in {@code args} (values of {@code --token}) and in {@code env} ({@code BHATTI_TOKEN}). */
    static Redaction of(String[] args, Map<String, String> env) {
        List<String> found = new ArrayList<>();
        for (int i = 0; args != null && i < args.length; i++) {
            String a = args[i];
            if (a == null) {
                continue;
            }
            if (a.equals("--token") && i + 1 < args.length) {
                found.add(args[i + 1]);
            } else if (a.startsWith("--token=")) {
                found.add(a.substring("--token=".length()));
            }
        }
        String envToken = env.get("BHATTI_TOKEN");
        if (envToken != null) {
            found.add(envToken);
        }
        found.removeIf(s -> s == null || s.isEmpty());
        found.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(found));
    }

    /** {@code text} with every known secret and every {@code token=} query value masked. */
    String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            // A short value is masked where it stands as a whole argument, not inside other words.
            out = s.length() >= 8 ? out.replace(s, MASK)
                    : out.replace("'" + s + "'", "'" + MASK + "'").replace("=" + s, "=" + MASK);
        }
        return QUERY_TOKEN.matcher(out).replaceAll("$1" + MASK);
    }
}
