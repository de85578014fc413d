package dev.bhatti.cli;

import dev.bhatti.api.ErrorCode;
import dev.bhatti.sdk.BhattiException;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.users.UserException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The one place where failures become CLI output: {@code Error: <message>}, a hint when one
 * helps, exit code 1. Hints are chosen by stable error code, never by message text. API keys in
 * the message (an echoed {@code --token} value, a {@code token=} query) are masked ({@link Redaction}).
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int EXIT_ERROR = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        String[] args = parseResult == null ? new String[0] : parseResult.originalArgs().toArray(String[]::new);
        err.println("Error: " + Redaction.of(args, Invocation.current().env()).mask(message(ex)));
        hint(ex).ifPresent(h -> err.println("hint: " + h));
        err.flush();
        return EXIT_ERROR;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + Redaction.of(args, Invocation.current().env()).mask(ex.getMessage()));
        err.println("hint: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return EXIT_ERROR;
    }

    private static String message(Exception ex) {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    /**
     * Hints by stable code; the same code can mean different things locally and from the API. An
     * API failure is matched first, so a client call never loads the server's exception classes.
     */
    private static Optional<String> hint(Exception ex) {
        if (ex instanceof BhattiException e) {
            return Optional.ofNullable(e.code() == null ? clientHint(e.rawCode()) : apiHint(e.code()));
        }
        return Optional.ofNullable(switch (ex) {
            case StoreException.Failed e -> "check --data-dir (or BHATTI_DATA_DIR) and its permissions";
            case StoreException e -> localHint(e.code());
            case UserException e -> localHint(e.code());
            default -> null;
        });
    }

    private static String localHint(ErrorCode code) {
        return switch (code) {
            case USER_NOT_FOUND -> "'bhatti user list' shows the existing users";
            case NAME_CONFLICT -> "choose another name, or 'bhatti user rotate-key NAME' for a new key";
            case USER_HAS_SANDBOXES -> "destroy the user's sandboxes first";
            case INVALID_NAME -> "for example: alice, ci-bot, team.a";
            default -> null;
        };
    }

    /** Hints for the CLI's own failures (no daemon reached, bad URL), which have no API code. */
    private static String clientHint(String code) {
        return switch (code) {
            case "connection_refused" -> "is the daemon running? start it with 'scripts/quickstart' or 'bhatti serve', "
                    + "or point --url (or 'bhatti setup') at it";
            case "connection_failed" -> "check the daemon URL (--url, ~/.bhatti/config.yaml or BHATTI_URL)";
            case "token_required" -> "pass --token KEY ('bhatti user create --name NAME' on the server prints one)";
            case "invalid_url" -> "for example: --url http://localhost:8080";
            default -> null;
        };
    }

    private static String apiHint(ErrorCode code) {
        return switch (code) {
            case UNAUTHORIZED -> "the key comes from --token, else $BHATTI_TOKEN, else the config file; fix it with 'bhatti setup --url URL --token KEY'";
            case SANDBOX_NOT_FOUND -> "'bhatti list' shows your sandboxes";
            case SECRET_NOT_FOUND -> "'bhatti secret list' shows your secrets";
            case VOLUME_NOT_FOUND -> "'bhatti volume list' shows your volumes";
            case TEMPLATE_NOT_FOUND -> "'bhatti template list' shows your templates";
            case NAME_CONFLICT -> "choose another name";
            case VOLUME_ATTACHED -> "destroy the sandboxes using it first ('bhatti volume list' shows them)";
            case QUOTA_EXCEEDED -> "your user's limits are reached: free some with 'bhatti destroy' or "
                    + "'bhatti volume delete' ('bhatti list', 'bhatti volume list'), or ask the daemon's admin";
            case STORAGE_QUOTA_EXCEEDED -> "root disks and volumes share your storage quota: destroy sandboxes or "
                    + "delete volumes you no longer need, ask for smaller disks, or ask the daemon's admin";
            case HOST_DISK_FULL -> "the daemon's host is short of disk space: ask for smaller disks, or ask its admin";
            case RATE_LIMITED -> "too many requests for now: wait a moment and try again";
            case PAYLOAD_TOO_LARGE -> "requests are limited to 1 MiB; copy big files with 'bhatti file write'";
            case SNAPSHOT_UNUSABLE -> "'bhatti start SANDBOX --force' clears the mark and boots it afresh";
            case INTERNAL_ERROR -> "the daemon's log has the details under that request id";
            case ROUTE_NOT_FOUND -> "the daemon may be older than this client: compare 'bhatti version'";
            default -> null;
        };
    }
}
