package dev.bhatti.engine.qemu;

import dev.bhatti.engine.net.HostCommands;
import java.util.List;

/** Runs host tools (qemu-img, mkfs.ext4) to completion; a failure names the command and its output. */
final class Tools {
    private Tools() {}

    static void run(String what, List<String> command) {
        HostCommands.local().run(what, command);
    }
}
