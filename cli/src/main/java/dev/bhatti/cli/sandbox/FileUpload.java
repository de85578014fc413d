package dev.bhatti.cli.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code create --file LOCAL:GUEST}: a local file written into the guest at boot, as the API's
 * {@code files} entry ({@code content} base64, {@code mode} the local file's permission bits).
 */
record FileUpload(String path, String content, String mode) {
    static final String FORMAT = "LOCAL:GUEST";
    /** Keeps one file well inside the API's 1 MiB request body once base64-encoded. */
    static final long MAX_BYTES = 700 * 1024;

    /** Reads the local file while parsing, so a missing or oversized file is a parameter error. */
    static final class Converter implements ITypeConverter<FileUpload> {
        @Override
        public FileUpload convert(String value) {
            int split = value.lastIndexOf(":/");
            if (split <= 0) {
                throw new TypeConversionException("expected " + FORMAT + " with an absolute GUEST path, e.g. "
                        + "./setup.sh:/workspace/setup.sh, got '" + value + "'");
            }
            Path local = dev.bhatti.cli.Invocation.current().resolve(value.substring(0, split));
            try {
                if (Files.size(local) > MAX_BYTES) {
                    throw new TypeConversionException(local + " is over " + MAX_BYTES / 1024 + " KiB; copy it after "
                            + "create with 'bhatti file write SANDBOX PATH < " + local + "'");
                }
                return new FileUpload(value.substring(split + 1),
                        Base64.getEncoder().encodeToString(Files.readAllBytes(local)), mode(local));
            } catch (NoSuchFileException e) {
                throw new TypeConversionException("no such file: " + local);
            } catch (IOException e) {
                throw new TypeConversionException("cannot read " + local + ": " + e.getMessage());
            }
        }

        private static String mode(Path local) throws IOException {
            int bits = 0;
            for (PosixFilePermission p : Files.getPosixFilePermissions(local)) {
                bits |= 0400 >> p.ordinal();
            }
            return String.format("0%o", bits);
        }
    }
}
