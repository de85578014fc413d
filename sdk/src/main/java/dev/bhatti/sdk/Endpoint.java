package dev.bhatti.sdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the daemon is and which key to use. Precedence, as with docker, aws and kubectl: flags,
 * then env {@code BHATTI_URL}/{@code BHATTI_TOKEN}, then the config file ({@code api_url},
 * {@code auth_token}), then {@code http://localhost:8080} (decision 0017). The config file is
 * {@code $BHATTI_CONFIG}, else {@code ~/.bhatti/config.yaml} where {@code ~} is {@code $HOME}
 * (the launcher passes it to the JVM as {@code user.home}).
 */
public record Endpoint(String url, String token) {
    public static final String DEFAULT_URL = "http://localhost:8080";

    /** The endpoint of env and config file alone (no flags). */
    public static Endpoint fromEnvironment() {
        return resolve(null, null);
    }

    /** The endpoint of these flags ({@code null} when not given), then env, then the config file. */
    public static Endpoint resolve(String flagUrl, String flagToken) {
        return resolve(flagUrl, flagToken, readConfig(defaultConfigFile()), System.getenv());
    }

    /** Resolves each value separately from the first source that has it. */
    public static Endpoint resolve(String flagUrl, String flagToken, Map<String, String> config,
                                   Map<String, String> env) {
        String url = first(flagUrl, env.get("BHATTI_URL"), config.get("api_url")).orElse(DEFAULT_URL);
        String token = first(flagToken, env.get("BHATTI_TOKEN"), config.get("auth_token")).orElse("");
        return new Endpoint(stripSlash(url), token);
    }

    /** {@code ~/.bhatti/config.yaml} as flat key/value pairs; empty when absent. */
    public static Map<String, String> readConfig(Path file) {
        Map<String, String> values = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                parseLine(line, values);
            }
        } catch (IOException e) {
            throw new BhattiException(0, "config_unreadable", "cannot read " + file + ": " + e.getMessage(), e);
        }
        return values;
    }

    /**
     * Writes this endpoint as the config file {@code file} in the format the daemon's first start
     * uses: owner-only (0600) in an owner-only directory (0700), replaced atomically so a reader
     * never sees half a file.
     */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path tmp = Files.createTempFile(dir, ".config-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, "# written by 'bhatti setup'\napi_url: " + plain(url) + "\nauth_token: "
                    + plain(token) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A value as the daemon's first start writes it too: unquoted, on one line. */
    private static String plain(String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("config values cannot contain control characters");
        }
        return value;
    }

    /** The client config file: {@code $BHATTI_CONFIG}, else {@code ~/.bhatti/config.yaml}. */
    public static Path defaultConfigFile() {
        return configFile(System.getenv(), System.getProperty("user.home"));
    }

    /** {@code BHATTI_CONFIG} from {@code env} when set, else {@code home/.bhatti/config.yaml}. */
    public static Path configFile(Map<String, String> env, String home) {
        String named = env.get("BHATTI_CONFIG");
        return named != null && !named.isBlank() ? Path.of(named) : Path.of(home, ".bhatti", "config.yaml");
    }

    private static void parseLine(String line, Map<String, String> values) {
        String trimmed = line.strip();
        int colon = trimmed.indexOf(':');
        if (trimmed.isEmpty() || trimmed.startsWith("#") || colon <= 0) {
            return;
        }
        String value = trimmed.substring(colon + 1).strip();
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        values.put(trimmed.substring(0, colon).strip(), value);
    }

    private static Optional<String> first(String... candidates) {
        return java.util.Arrays.stream(candidates).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
