package dev.bhatti.cli.helper;

import dev.bhatti.cli.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntPredicate;

/**
 * One client connection: the hello names the call (protocol version, working directory, which of
 * fds 0–2 are terminals, the arguments and the environment); the call runs with that
 * {@link Invocation}; its output goes back as frames the moment it is written, its exit code last.
 * Stdin is asked for only when the command first reads it, so a call that never reads stdin
 * never takes the client's input. When the client goes away mid-call the call's thread is
 * interrupted, which closes its connections to the daemon.
 */
final class HelperCall {
    /** What the hello says. */
    record Hello(Path cwd, IntPredicate terminal, List<String> args, Map<String, String> env) {
        static Hello parse(List<String> fields) throws IOException {
            if (fields.size() < 4 || !fields.get(0).equals(Frames.VERSION)) {
                return null;
            }
            int mask = Integer.parseInt(fields.get(2));
            int argc = Integer.parseInt(fields.get(3));
            if (argc < 0 || fields.size() < 4 + argc) {
                throw new IOException("helper protocol: hello has fewer arguments than it says");
            }
            Map<String, String> env = new HashMap<>();
            for (String kv : fields.subList(4 + argc, fields.size())) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new Hello(Path.of(fields.get(1)), fd -> (mask & (1 << fd)) != 0,
                    List.copyOf(fields.subList(4, 4 + argc)), Map.copyOf(env));
        }
    }

    /** Runs a call; answers its exit code. */
    interface Runner {
        int run(String[] args, Invocation invocation);
    }

    private final InputStream fromClient;
    private final OutputStream toClient;
    private final LinkedBlockingQueue<byte[]> stdin = new LinkedBlockingQueue<>();
    private static final byte[] END = new byte[0];

    HelperCall(InputStream fromClient, OutputStream toClient) {
        this.fromClient = fromClient;
        this.toClient = toClient;
    }

    /** Runs the call of {@code hello} to its end; {@code home} is used when the client's env has no HOME. */
    void run(Hello hello, Path home, Runner runner) throws IOException {
        Thread worker = Thread.currentThread();
        Thread reader = Thread.ofVirtual().name("helper-stdin").start(() -> readClient(worker));
        Path callHome = hello.env().containsKey("HOME") ? Path.of(hello.env().get("HOME")) : home;
        PrintStream out = new PrintStream(new FrameOutput(Frames.STDOUT), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FrameOutput(Frames.STDERR), false, StandardCharsets.UTF_8);
        Invocation call = new Invocation(hello.env(), hello.cwd(), callHome, new StdinStream(), out, err,
                hello.terminal());
        int code;
        try {
            code = ScopedValue.where(Invocation.CURRENT, call).call(() -> runner.run(hello.args().toArray(String[]::new), call));
        } catch (RuntimeException e) {
            err.println("Error: " + e);
            code = 1;
        } finally {
            out.flush();
            err.flush();
        }
        send(Frames.EXIT, Frames.exitCode(code), 0, 4);
        reader.interrupt();
    }

    /** Feeds stdin frames to the call; the client's end interrupts the call. */
    private void readClient(Thread worker) {
        try {
            for (Frames.Frame f = Frames.read(fromClient); f != null; f = Frames.read(fromClient)) {
                if (f.type() == Frames.STDIN) {
                    stdin.add(f.payload().length == 0 ? END : f.payload());
                }
            }
        } catch (IOException e) {
            // the client is gone either way
        }
        stdin.add(END);
        worker.interrupt();
    }

    private void send(byte type, byte[] b, int off, int len) throws IOException {
        synchronized (toClient) {
            Frames.write(toClient, type, b, off, len);
        }
    }

    /** Each write is one frame, sent at once (a streamed exec's lines reach the terminal as they come). */
    private final class FrameOutput extends OutputStream {
        private final byte type;

        FrameOutput(byte type) {
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                send(type, b, off, len);
            }
        }
    }

    /** The client's stdin, asked for on the first read. */
    private final class StdinStream extends InputStream {
        private boolean asked;
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (pos == chunk.length) {
                if (ended) {
                    return -1;
                }
                if (!asked) {
                    asked = true;
                    send(Frames.WANT_STDIN, new byte[0], 0, 0);
                }
                try {
                    chunk = stdin.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("the client went away");
                }
                pos = 0;
                ended = chunk == END;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
