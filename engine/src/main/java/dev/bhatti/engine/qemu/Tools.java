package dev.bhatti.engine.qemu;

import dev.bhatti.engine.EngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools (qemu-img, mkfs.ext4) to completion; a failure names the command and its output. */
final class Tools {
    private Tools() {}

    static void run(String what, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException.VmmFailed(what + ": " + command.getFirst() + " timed out", null);
            }
            if (p.exitValue() != 0) {
                throw new EngineException.VmmFailed(what + ": " + String.join(" ", command) + " exited "
                        + p.exitValue() + ": " + output.strip(), null);
            }
        } catch (IOException e) {
            throw new EngineException.VmmFailed(what + ": cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException.VmmFailed(what + ": interrupted", e);
        }
    }
}
