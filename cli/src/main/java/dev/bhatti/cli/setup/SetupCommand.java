package dev.bhatti.cli.setup;

import dev.bhatti.cli.api.Failure;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.sdk.Endpoint;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bhatti setup}: checks a daemon URL and API key with {@code GET /sandboxes}, then saves them
 * in {@code ~/.bhatti/config.yaml}. Nothing is written unless the check succeeds, so a mistyped key
 * never replaces a working config.
 */
@Command(name = "setup", description = {"Save the daemon URL and API key after checking them.",
        "They go to ~/.bhatti/config.yaml (mode 0600). Values not given as flags come from the current config, "
                + "BHATTI_URL/BHATTI_TOKEN or the default URL; on a terminal a missing key is asked for. "
                + "Nothing is written when the check (GET /sandboxes) fails."})
public final class SetupCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;

    @Override
    public Integer call() throws IOException {
        Endpoint endpoint = withToken(options.endpoint());
        requireHttp(endpoint.url());
        int sandboxes = Bhatti.connect(endpoint).sandboxes().list().size();
        Path file = Endpoint.defaultConfigFile();
        endpoint.save(file);
        spec.commandLine().getOut().printf("saved %s: %s, %d sandbox(es)%n", file, endpoint.url(), sandboxes);
        return 0;
    }

    private static Endpoint withToken(Endpoint endpoint) {
        if (!endpoint.token().isEmpty()) {
            return endpoint;
        }
        Console console = System.console();
        char[] typed = console == null ? null : console.readPassword("API key for %s: ", endpoint.url());
        if (typed == null || typed.length == 0) {
            throw Failure.of("token_required", "no API key given for " + endpoint.url());
        }
        return new Endpoint(endpoint.url(), new String(typed).strip());
    }

    private static void requireHttp(String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return;
            }
        } catch (IllegalArgumentException e) {
            throw Failure.of("invalid_url", "daemon URL " + url + " is not a URL: " + e.getMessage());
        }
        throw Failure.of("invalid_url", "daemon URL " + url + " is not an http:// or https:// URL");
    }
}
