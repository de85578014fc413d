package dev.bhatti.agent.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts children for exec and sessions: environment merge, PATH lookup, cwd, user switch. */
public final class Launcher {
    private final Path workspace;
    private final Map<String, String> configEnv;
    private final List<String> runAs;

    public Launcher(Path workspace, Map<String, String> configEnv, List<String> runAs) {
        this.workspace = workspace;
        this.configEnv = configEnv;
        this.runAs = runAs;
    }
}
