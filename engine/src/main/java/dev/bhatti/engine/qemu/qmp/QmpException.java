package dev.bhatti.engine.qemu.qmp;

import java.io.IOException;

/** A QMP command failed, timed out, or QEMU went away; the message names the VM and the command. */
public final class QmpException extends IOException {
    public QmpException(String message) {
        super(message);
    }
}
