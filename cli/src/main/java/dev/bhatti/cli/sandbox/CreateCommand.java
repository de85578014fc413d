package dev.bhatti.cli.sandbox;

import dev.bhatti.api.model.SandboxSpec;
import dev.bhatti.api.model.SandboxView;
import dev.bhatti.sdk.Bhatti;
import dev.bhatti.sdk.Sandbox;
import dev.bhatti.cli.api.ClientOptions;
import dev.bhatti.cli.term.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti create}: boots a sandbox; an existing name is left unchanged (exit 0). */
@Command(name = "create", description = "Create a sandbox.")
public final class CreateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions options;
    @Option(names = "--name") String name;
    @Option(names = "--cpus") Integer cpus;
    @Option(names = "--memory", description = "MiB") Integer memory;
    @Option(names = "--disk-size", description = "MiB") Integer diskSize;
    @Option(names = "--env", split = ",", description = "K=V, repeatable or comma separated") Map<String, String> env;
    @Option(names = "--init", description = "command run at boot") String init;
    @Option(names = "--keep-hot") boolean keepHot;
    @Option(names = "--template", description = "template name or id; options given here win") String template;
    @Option(names = "--secret", description = "secret name, repeatable") List<String> secrets = new ArrayList<>();
    @Option(names = "--label", description = "k=v, repeatable") Map<String, String> labels;
    @Option(names = "--checkpoint", description = "a checkpoint id: the sandbox is a copy of it (only --name may come with it)")
    String checkpoint;
    @Option(names = "--volume", paramLabel = VolumeMount.FORMAT, converter = VolumeMount.Converter.class,
            description = "attach an existing volume (read-only with :ro), repeatable")
    List<VolumeMount> volumes = new ArrayList<>();
    @Option(names = "--file", paramLabel = FileUpload.FORMAT, converter = FileUpload.Converter.class,
            description = "copy a local file (at most 700 KiB, mode kept) into the guest at boot, repeatable")
    List<FileUpload> files = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Bhatti bhatti = options.bhatti();
        SandboxSpec request = spec();
        Sandbox created = Progress.around(spec.commandLine().getErr(),
                "creating " + (name == null ? "a sandbox" : name), () -> bhatti.sandboxes().create(request));
        print(created.view(), created.existing());
        return 0;
    }

    private SandboxSpec spec() {
        return SandboxSpec.builder().name(name).cpus(cpus).memoryMb(memory).diskSizeMb(diskSize).env(env).init(init)
                .templateId(template).labels(labels).keepHot(keepHot ? true : null)
                .secrets(secrets.isEmpty() ? null : secrets)
                .volumes(volumes.isEmpty() ? null : volumes.stream()
                        .map(v -> new SandboxSpec.VolumeRef(v.name(), v.mount(), v.readOnly())).toList())
                .files(files.isEmpty() ? null : files.stream()
                        .map(f -> new SandboxSpec.FileEntry(f.path(), f.content(), f.mode())).toList())
                .checkpoint(checkpoint).build();
    }

    private void print(SandboxView sb, boolean existing) {
        PrintWriter out = spec.commandLine().getOut();
        String name = sb.name();
        out.printf("%s %s (%s)%n", existing ? "unchanged:" : "created:", name, sb.id());
        out.printf("  cpus %s, memory %s MiB, ip %s%s%n", sb.cpus(), sb.memoryMb(), sb.ip() == null ? "-" : sb.ip(),
                sb.createdFrom() == null || existing ? "" : ", made from " + switch (sb.createdFrom()) {
                    case "snapshot" -> "the image snapshot";
                    case "checkpoint" -> "checkpoint " + checkpoint;
                    default -> "a boot";
                });
        out.println("open a shell: bhatti shell " + name);
    }
}
