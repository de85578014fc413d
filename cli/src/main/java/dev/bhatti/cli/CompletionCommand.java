package dev.bhatti.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bhatti completion [bash]}: the bash completion script for every command and option (picocli's generator). */
@Command(name = "completion", description = "Print the bash completion script.",
        footer = {"%nInstall it for your user (bash-completion 2 looks there):",
                "  mkdir -p ~/.local/share/bash-completion/completions",
                "  bhatti completion bash > ~/.local/share/bash-completion/completions/bhatti",
                "or load it into the current shell only:",
                "  source <(bhatti completion bash)",
                "zsh uses the same script after: autoload -U +X bashcompinit && bashcompinit"})
final class CompletionCommand implements Runnable {
    /** The shells a script can be printed for. */
    enum Shell { bash }

    @Spec CommandSpec spec;
    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "the shell (${COMPLETION-CANDIDATES}); default bash") Shell shell;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("bhatti", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
