package dev.bhatti.cli.shell;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The local terminal through JLine, in full raw mode (like {@code cfmakeraw}): no echo, no line
 * editing, no signal keys (Ctrl+C, Ctrl+Z, Ctrl+\ reach the remote shell or the detach check as
 * bytes), no output processing (the remote pty already turns newlines into CR LF). JLine's own
 * {@code enterRawMode} keeps ISIG and OPOST, which is right for a line editor but not for a remote shell.
 */
final class RawTty implements LocalTerminal {
    private final Terminal terminal;
    private final Attributes saved;
    private boolean closed;

    private RawTty(Terminal terminal) {
        this.terminal = terminal;
        this.saved = terminal.getAttributes();
        terminal.setAttributes(raw(saved));
    }

    static RawTty open() throws IOException {
        return new RawTty(TerminalBuilder.builder().system(true).nativeSignals(true).build());
    }

    static Attributes raw(Attributes saved) {
        Attributes raw = new Attributes(saved);
        raw.setInputFlags(EnumSet.of(InputFlag.IGNBRK, InputFlag.BRKINT, InputFlag.PARMRK, InputFlag.ISTRIP,
                InputFlag.INLCR, InputFlag.IGNCR, InputFlag.ICRNL, InputFlag.IXON), false);
        raw.setOutputFlag(OutputFlag.OPOST, false);
        raw.setLocalFlags(EnumSet.of(LocalFlag.ECHO, LocalFlag.ECHONL, LocalFlag.ICANON, LocalFlag.ISIG,
                LocalFlag.IEXTEN), false);
        raw.setControlChar(ControlChar.VMIN, 1);
        raw.setControlChar(ControlChar.VTIME, 0);
        return raw;
    }

    @Override
    public Optional<WindowSize> size() {
        Size size = terminal.getSize();
        return size.getRows() > 0 && size.getColumns() > 0
                ? Optional.of(new WindowSize(size.getRows(), size.getColumns())) : Optional.empty();
    }

    @Override
    public void onResize(Runnable action) {
        terminal.handle(Terminal.Signal.WINCH, signal -> action.run());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (terminal) {
            terminal.handle(Terminal.Signal.WINCH, Terminal.SignalHandler.SIG_DFL);
            terminal.setAttributes(saved);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restore the terminal: " + e.getMessage(), e);
        }
    }
}
