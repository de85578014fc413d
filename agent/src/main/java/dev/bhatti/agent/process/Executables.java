package dev.bhatti.agent.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** PATH lookup as a shell does it, against the child's PATH rather than the agent's. */
final class Executables {
    private Executables() {}

    static Optional<Path> resolve(String program, String path, Path cwd) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path p = cwd.resolve(program);
            return isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(program);
            if (isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
