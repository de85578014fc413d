package dev.bhatti.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bhatti.api.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ErrorCode} is the only source of error codes: no main source outside {@code api} spells
 * one as a string literal, and {@code docs/errors.md} is the catalogue as the enum has it.
 */
class ErrorCodeCatalogueTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    private static final List<String> MODULES = List.of("server", "engine", "client", "cli", "sdk", "proto", "agent", "bench");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Path DOC = ROOT.resolve("docs/errors.md");

    @Test
    void noMainSourceOutsideApiSpellsAnErrorCodeAsALiteral() throws IOException {
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).collect(Collectors.toSet());
        List<String> found = new ArrayList<>();
        for (String module : MODULES) {
            Path main = ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> scan(f, codes, found));
            }
        }
        assertThat(found).as("error codes spelled as string literals (use ErrorCode.X.code())").isEmpty();
    }

    private static void scan(Path file, Set<String> codes, List<String> found) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                continue;
            }
            Matcher m = LITERAL.matcher(line);
            while (m.find()) {
                if (codes.contains(m.group(1))) {
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": \"" + m.group(1) + "\"");
                }
            }
        }
    }

    @Test
    void docsErrorsMdIsTheCatalogue() throws IOException {
        String expected = markdown();
        if (Boolean.getBoolean("bhatti.docs.write")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        assertThat(actual).as("%s differs from ErrorCode; regenerate it with: mvn -o -pl server -am test "
                + "-Dtest=ErrorCodeCatalogueTest -Dsurefire.failIfNoSpecifiedTests=false -Dbhatti.docs.write=true", DOC)
                .isEqualTo(expected);
    }

    /** The catalogue, grouped by family in status order: code | HTTP status | meaning. */
    static String markdown() {
        StringBuilder md = new StringBuilder("""
                # Error codes

                Every error the HTTP API answers has the body `{"error": "<message>", "code": "<code>"}`
                (an `internal_error` also carries `request_id`, under which the daemon's log has the details).
                Each code always comes with the same HTTP status. This file is generated from
                `api/src/main/java/dev/bhatti/api/ErrorCode.java` by `ErrorCodeCatalogueTest`
                (`-Dbhatti.docs.write=true` rewrites it); edit the enum, not this file.
                """);
        Map<ErrorCode.Family, List<ErrorCode>> byFamily = Arrays.stream(ErrorCode.values())
                .collect(Collectors.groupingBy(ErrorCode::family, () -> new java.util.EnumMap<>(ErrorCode.Family.class),
                        Collectors.toList()));
        byFamily.forEach((family, codes) -> {
            md.append("\n## ").append(family.status()).append(' ').append(family.name().toLowerCase().replace('_', ' '))
                    .append("\n\n| code | HTTP status | meaning |\n|---|---|---|\n");
            codes.forEach(c -> md.append("| `").append(c.code()).append("` | ").append(c.status()).append(" | ")
                    .append(c.meaning().replace("|", "\\|")).append(" |\n"));
        });
        return md.toString();
    }
}
