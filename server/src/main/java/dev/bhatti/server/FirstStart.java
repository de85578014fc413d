package dev.bhatti.server;

import dev.bhatti.server.config.ServerConfig;
import dev.bhatti.server.store.Limits;
import dev.bhatti.server.users.Users;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start on an empty store: creates the {@code admin} user and writes its key with the API
 * URL to the CLI config (mode 0600), so the CLI works without setup.
 */
final class FirstStart {
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

    private FirstStart() {}

    static void ensureAdmin(Users users, ServerConfig config, int port) throws IOException {
        if (!users.list().isEmpty()) {
            return;
        }
        Users.Created admin = users.create(Users.ADMIN, Limits.DEFAULT);
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        writeClientConfig(config.clientConfig(), "http://" + host + ":" + port,
                admin.apiKey());
        log.info("event=admin_created config={}", config.clientConfig());
    }

    static void writeClientConfig(Path file, String url, String key) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".config", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, "api_url: " + url + "\nauth_token: " + key + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
