package dev.bhatti.cli.sandbox;

import dev.bhatti.api.model.SandboxEdit;
import dev.bhatti.api.model.SandboxView;
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
        SandboxEdit edit = new SandboxEdit(keepHot || allowCold ? keepHot : null, name, labels, labelDeletes, null);
        SandboxView sb = options.bhatti().sandboxes().named(sandbox).edit(edit);
        spec.commandLine().getOut().println("updated " + (sb.name() == null ? sandbox : sb.name()));
    }
}
