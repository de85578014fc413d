package dev.bhatti.agent.files;

import dev.bhatti.proto.AgentErrorText;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * A file-system failure to report to the client as an ERROR frame, its message naming the
 * path the client asked for. Deliberately not an {@link IOException}: an I/O error on the
 * connection must propagate (the peer is gone), a file problem must be answered.
 */
final class FileProblem extends Exception {
    FileProblem(String message) {
        super(message);
    }

    FileProblem(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<path>: no such file or directory"} and friends, from the exception's kind. */
    static FileProblem of(String path, IOException e) {
        return new FileProblem(path + ": " + describe(e), e);
    }

    private static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> AgentErrorText.NO_SUCH_FILE.text();
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "not a directory";
            case FileSystemException f when f.getReason() != null -> f.getReason().toLowerCase(Locale.ROOT);
            default -> String.valueOf(e.getMessage());
        };
    }
}
