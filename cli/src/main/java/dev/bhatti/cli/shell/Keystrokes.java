package dev.bhatti.cli.shell;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Local input → keystroke messages, until the detach key. Bytes before a detach key in the same
 * read are still sent; the key itself never is. End of input (stdin from a file or pipe) just
 * stops the reading: the shell runs on until it exits, as with {@code ssh -tt host < script}, so
 * a script ends with {@code exit}. (Sending Ctrl+D instead is unreliable: a Ctrl+D that reaches
 * the remote pty while it is in canonical mode, between two readline prompts, becomes a NUL.)
 */
final class Keystrokes implements Runnable {
    /** Ctrl+\ (ASCII FS): detaches. Raw mode turns off ISIG, so it arrives as a byte, not SIGQUIT. */
    static final byte DETACH = 0x1c;

    private final InputStream in;
    private final Consumer<byte[]> send;
    private final CompletableFuture<Outcome> outcome;

    Keystrokes(InputStream in, Consumer<byte[]> send, CompletableFuture<Outcome> outcome) {
        this.in = in;
        this.send = send;
        this.outcome = outcome;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0 && !outcome.isDone(); n = in.read(buf)) {
                int cut = indexOf(buf, n, DETACH);
                int keys = cut < 0 ? n : cut;
                if (keys > 0) {
                    send.accept(Arrays.copyOf(buf, keys));
                }
                if (cut >= 0) {
                    outcome.complete(new Outcome.Detached());
                    return;
                }
            }
        } catch (IOException e) {
            outcome.complete(new Outcome.Lost("cannot read the local terminal: " + e.getMessage()));
        }
    }

    private static int indexOf(byte[] buf, int n, byte b) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
