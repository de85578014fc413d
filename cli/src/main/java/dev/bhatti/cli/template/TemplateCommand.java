package dev.bhatti.cli.template;

import static dev.bhatti.cli.output.Table.column;

import dev.bhatti.api.model.TemplateRequest;
import dev.bhatti.api.model.TemplateView;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Resource;
import dev.bhatti.cli.api.ResourceCommand;
import dev.bhatti.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bhatti template create|list|delete}: saved sandbox settings, used with
 * {@code create --template NAME} (options given to create win over the template's).
 */
@Command(name = "template", description = "Manage sandbox templates (use with 'bhatti create --template NAME').",
        subcommands = {TemplateCommand.Create.class})
public final class TemplateCommand extends ResourceCommand {
    static final Resource TEMPLATES = new Resource("/templates", "template", Table.of(column("ID", "id"),
            column("NAME", "name"), column("IMAGE", "image"), column("CPUS", "cpus"), column("MEMORY", "memory_mb"),
            column("SECRETS", t -> join(Table.array(t.get("secrets"))))));

    public TemplateCommand() {
        super(TEMPLATES);
    }

    @Command(name = "create", description = "Save a template; unset values fall back to the daemon's defaults.")
    static final class Create implements Runnable {
        @Spec CommandSpec spec;
        @Mixin ClientOptions options;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--image", description = "guest image") String image;
        @Option(names = "--cpus") Integer cpus;
        @Option(names = "--memory", description = "MiB") Integer memory;
        @Option(names = "--env", split = ",", description = "K=V, repeatable or comma separated") Map<String, String> env;
        @Option(names = "--init", description = "command run at boot") String init;
        @Option(names = "--secret", description = "secret name, repeatable") List<String> secrets = new ArrayList<>();

        @Override
        public void run() {
            TemplateView t = options.bhatti().templates().create(new TemplateRequest(name, image, cpus, memory, env, init,
                    secrets.isEmpty() ? null : secrets, null));
            spec.commandLine().getOut().printf("template %s created (%s)%n", t.name() == null ? name : t.name(), t.id());
        }
    }

    private static String join(List<?> names) {
        List<String> out = new ArrayList<>();
        names.forEach(n -> out.add(Table.text(n)));
        return String.join(",", out);
    }
}
