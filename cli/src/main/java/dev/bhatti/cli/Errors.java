package dev.bhatti.cli;

import dev.bhatti.cli.api.ApiError;
import dev.bhatti.server.secrets.SecretBoxException;
import dev.bhatti.server.store.StoreException;
import dev.bhatti.server.users.UserException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The one place where failures become CLI output: {@code Error: <message>}, a hint when one
 * helps, exit code 1. Hints are chosen by stable error code, never by message text.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int EXIT_ERROR = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        err.println("Error: " + message(ex));
        hint(code(ex)).ifPresent(h -> err.println("hint: " + h));
        err.flush();
        return EXIT_ERROR;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("Error: " + ex.getMessage());
        err.println("hint: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return EXIT_ERROR;
    }

    private static String message(Exception ex) {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String code(Exception ex) {
        return switch (ex) {
            case StoreException e -> e.code();
            case UserException e -> e.code();
            case SecretBoxException e -> e.code();
            case ApiError e -> e.code();
            default -> "";
        };
    }

    private static Optional<String> hint(String code) {
        return Optional.ofNullable(switch (code) {
            case "user_not_found" -> "'bhatti user list' shows the existing users";
            case "name_conflict" -> "choose another name, or 'bhatti user rotate-key NAME' for a new key";
            case "user_has_sandboxes" -> "destroy the user's sandboxes first";
            case "invalid_name" -> "for example: alice, ci-bot, team.a";
            case "store_failed" -> "check --data-dir (or BHATTI_DATA_DIR) and its permissions";
            case "unauthorized" -> "run 'bhatti setup --url URL --token KEY' or set BHATTI_TOKEN";
            case "sandbox_not_found" -> "'bhatti list' shows your sandboxes";
            case "secret_not_found" -> "'bhatti secret list' shows your secrets";
            case "connection_refused" -> "is the daemon running? start it with 'bhatti serve'";
            case "rate_limited" -> "wait a moment and try again";
            case "token_required" -> "pass --token KEY ('bhatti user create --name NAME' on the server prints one)";
            case "invalid_url" -> "for example: --url http://localhost:8080";
            default -> null;
        });
    }
}
