package dev.bhatti.engine.qemu;

import dev.bhatti.engine.net.HostCommands;
import java.util.List;

/** Runs host tools (qemu-img, mkfs.ext4) to completion; a failure names the command and its output. */
final class Tools {
    private Tools() {}

    static String run(String what, List<String> command) {
        return HostCommands.local().run(what, command);
    }
}
