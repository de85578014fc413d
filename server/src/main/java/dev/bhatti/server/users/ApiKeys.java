package dev.bhatti.server.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * API keys: {@code bht_} followed by 64 lowercase hex characters (32 random bytes). Only the
 * SHA-256 of a key (lowercase hex) is ever stored.
 */
public final class ApiKeys {
    private static final String PREFIX = "bht_";
    private static final Pattern FORMAT = Pattern.compile("bht_[0-9a-f]{64}");

    private final SecureRandom random;

    public ApiKeys(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random is required");
    }

    public ApiKeys() {
        this(new SecureRandom());
    }

    /** A fresh key. */
    public String generate() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + HexFormat.of().formatHex(bytes);
    }

    /** The lowercase hex SHA-256 of the key's UTF-8 bytes. */
    public static String hash(String key) {
        Objects.requireNonNull(key, "key is required");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** True when {@code key} has the shape of an API key (says nothing about whether it exists). */
    public static boolean looksValid(String key) {
        return key != null && FORMAT.matcher(key).matches();
    }
}
