package dev.bhatti.agent.tty;

import dev.bhatti.agent.conn.Connection;
import dev.bhatti.proto.Frame;
import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client attached to a session. Frames are queued without blocking (so a
 * session never does I/O under its lock) and written in order by the
 * subscriber's own virtual thread. A client that falls more than
 * {@link #MAX_BACKLOG} bytes behind is dropped; it can reattach and gets the
 * scrollback.
 */
final class Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);
    static final long MAX_BACKLOG = 8L << 20;
    private static final Frame CLOSE = new Frame(0, null);

    private final Connection conn;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlog = new AtomicLong();

    private final Thread writer;

    Subscriber(Connection conn) {
        this.conn = conn;
        this.writer = Thread.ofVirtual().name("lohar-session-writer").start(this::drain);
    }

    Connection connection() {
        return conn;
    }

    /** Queues a frame; false when the client is too far behind and was dropped. */
    boolean offer(Frame frame) {
        if (backlog.addAndGet(frame.payload().length) > MAX_BACKLOG) {
            log.warn("event=subscriber_dropped reason=backlog bytes={}", backlog.get());
            conn.close();
            return false;
        }
        queue.add(frame);
        return true;
    }

    /** Queues a close: frames queued before it are still written, then the connection closes. */
    void closeAfterQueued() {
        queue.add(CLOSE);
    }

    /** Queues a close and waits until every queued frame was written (or the client went away). */
    void finish() {
        closeAfterQueued();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try {
            for (Frame f = queue.take(); f != CLOSE; f = queue.take()) {
                conn.out().write(f);
                backlog.addAndGet(-f.payload().length);
            }
        } catch (IOException e) {
            log.debug("event=subscriber_write_failed error=\"{}\"", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            conn.close();
        }
    }
}
