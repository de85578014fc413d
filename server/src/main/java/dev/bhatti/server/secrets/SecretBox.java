package dev.bhatti.server.secrets;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;

/**
 * Seals secret values at rest with age (X25519). The identity lives in a key file (age-keygen
 * format, mode 0600) created on first use; see {@link KeyFile}. Thread-safe.
 */
public final class SecretBox {
    private final String identity;
    private final String recipient;

    private SecretBox(String identity, String recipient) {
        this.identity = identity;
        this.recipient = recipient;
    }

    /** Loads the identity from {@code keyFile}, creating the file (mode 0600) if it does not exist. */
    public static SecretBox open(Path keyFile) {
        Objects.requireNonNull(keyFile, "key file is required");
        KeyFile.Identity id = KeyFile.loadOrCreate(keyFile);
        return new SecretBox(id.secretKey(), id.publicKey());
    }

    /** The age recipient ({@code age1...}) that {@link #seal} encrypts to. */
    public String recipient() {
        return recipient;
    }

    /** Encrypts {@code plaintext} (UTF-8) into a binary age file. */
    public byte[] seal(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext is required");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            RecipientStanzaWriter writer = X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
            try (WritableByteChannel channel = new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(out), List.of(writer))) {
                ByteBuffer data = ByteBuffer.wrap(plaintext.getBytes(StandardCharsets.UTF_8));
                while (data.hasRemaining()) {
                    channel.write(data);
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot seal a secret for recipient " + recipient, e);
        }
        return out.toByteArray();
    }

    /** Decrypts what {@link #seal} produced; {@link SecretBoxException.Undecryptable} otherwise. */
    public String open(byte[] ciphertext) {
        Objects.requireNonNull(ciphertext, "ciphertext is required");
        try {
            RecipientStanzaReader reader = X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
            try (ReadableByteChannel channel = new StandardDecryptingChannelFactory().newDecryptingChannel(
                    Channels.newChannel(new ByteArrayInputStream(ciphertext)), List.of(reader));
                 InputStream in = Channels.newInputStream(channel)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new SecretBoxException.Undecryptable("cannot decrypt secret with the identity for " + recipient
                    + " (sealed with another key, or damaged): " + e.getMessage(), e);
        }
    }
}
