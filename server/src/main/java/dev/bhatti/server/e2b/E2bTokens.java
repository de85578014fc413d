package dev.bhatti.server.e2b;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The envd access token of each E2B sandbox ({@code X-Access-Token}, the only credential the SDK
 * sends with in-sandbox requests): HMAC-SHA256 of the sandbox id under a key of this daemon
 * ({@code e2b.key}, 0600, made on first use). Nothing per sandbox is stored; a token is checked
 * by recomputing it and comparing in constant time.
 */
public final class E2bTokens {
    private final byte[] key;

    private E2bTokens(byte[] key) {
        this.key = key;
    }

    /** The daemon's key from {@code file}, made with 32 random bytes when absent. */
    public static E2bTokens open(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            Path tmp = Files.createTempFile(file.getParent(), ".e2b", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, fresh);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length < 32) {
            throw new IOException(file + " holds " + key.length + " bytes; an E2B token key needs 32");
        }
        return new E2bTokens(key);
    }

    /** The token of sandbox {@code id}. */
    public String token(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("envd:" + id).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code presented} is the token of sandbox {@code id} (constant time). */
    public boolean matches(String id, String presented) {
        return presented != null && MessageDigest.isEqual(token(id).getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
