package dev.bhatti.cli.api;

import dev.bhatti.cli.Invocation;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Endpoint;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}, mixed into every command that talks to the daemon. */
public final class ClientOptions {
    @Option(names = "--url", description = "daemon URL (default: $BHATTI_URL, the config file, http://localhost:8080)")
    String url;

    @Option(names = "--token", description = "API key (default: $BHATTI_TOKEN, the config file)")
    String token;

    /** The SDK client for {@link #endpoint()}. */
    public Bhatti bhatti() {
        return Bhatti.connect(endpoint());
    }

    /** The endpoint these flags, the config file and the environment select (flags > env > config file > default). */
    public Endpoint endpoint() {
        Invocation call = Invocation.current();
        return Endpoint.resolve(url, token, Endpoint.readConfig(Endpoint.configFile(call.env(), call.home().toString())),
                call.env());
    }
}
