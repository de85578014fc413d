package dev.bhatti.cli.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bhatti.cli.api.Body;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.api.Paths;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti edit}: rename, keep hot or allow cold, add or remove labels. */
@Command(name = "edit", description = "Change a sandbox's name, keep-hot flag or labels.")
public final class EditCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Parameters(index = "0", paramLabel = "SANDBOX") String sandbox;
    @Option(names = "--name") String name;
    @Option(names = "--keep-hot") boolean keepHot;
    @Option(names = "--allow-cold") boolean allowCold;
    @Option(names = "--label", description = "k=v, repeatable") Map<String, String> labels;
    @Option(names = "--label-delete", description = "key, repeatable") List<String> labelDeletes;

    @Override
    public void run() {
        Body body = new Body().put("name", name).put("keep_hot", keepHot || allowCold ? keepHot : null)
                .put("labels_add", labels).put("labels_remove", labelDeletes);
        JsonNode sb = options.client().patch(Paths.sandbox(sandbox), body.fields());
        spec.commandLine().getOut().println("updated " + sb.path("name").asText(sandbox));
    }
}
