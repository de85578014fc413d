package dev.bhatti.server.secrets;

import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The age identity file. Created in the age-keygen format: a temporary file is created with mode
 * 0600 from the start (never readable by others, not even briefly), written, fsynced, then
 * hard-linked to the final name, which fails if another process created it first — the winner's
 * key is then used.
 */
final class KeyFile {
    private static final Logger log = LoggerFactory.getLogger(KeyFile.class);
    private static final String SECRET_PREFIX = "AGE-SECRET-KEY-1";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** An age secret key and the public key (recipient) derived from it. */
    record Identity(String secretKey, String publicKey) {
    }

    private KeyFile() {
    }

    static Identity loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            create(file);
        }
        return load(file);
    }

    private static void create(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            dev.bhatti.engine.OwnerOnly.directories(dir);
            Path tmp = Files.createTempFile(dir, ".age-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                write(tmp, content());
                Files.createLink(file, tmp);
                log.info("secrets: created age identity file={}", file);
            } catch (FileAlreadyExistsException e) {
                log.info("secrets: identity file={} was created concurrently, using it", file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new SecretBoxException.KeyFileUnusable("cannot create age identity file " + file, e);
        }
    }

    private static String content() throws GeneralSecurityException {
        KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
        return "# created: " + Instant.now() + "\n# public key: " + pair.getPublic() + "\n" + pair.getPrivate() + "\n";
    }

    private static void write(Path tmp, String content) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.US_ASCII.encode(content));
            ch.force(true);
        }
    }

    private static Identity load(Path file) {
        try {
            warnIfExposed(file);
            String secret = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                    .map(String::strip)
                    .filter(line -> line.startsWith(SECRET_PREFIX))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no " + SECRET_PREFIX + "... line"));
            return new Identity(secret, publicKeyOf(secret));
        } catch (IOException | GeneralSecurityException e) {
            throw new SecretBoxException.KeyFileUnusable("cannot load age identity from " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static String publicKeyOf(String secret) throws GeneralSecurityException {
        SecretKeySpec spec = new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "X25519");
        return new X25519KeyFactory().translateKey(spec).toString();
    }

    private static void warnIfExposed(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(perms)) {
            log.warn("secrets: identity file={} has mode {}; it should be 0600", file,
                    PosixFilePermissions.toString(perms));
        }
    }
}
