package dev.bhatti.agent.tty;

/**
 * A session's scrollback: the last {@code capacity} bytes of output, oldest
 * overwritten first. Not thread-safe; the owning session guards it.
 */
public final class RingBuffer {
    /** Scrollback kept per session (SPEC §2.4). */
    public static final int SCROLLBACK = 64 * 1024;

    private final byte[] data;
    private int start;
    private int size;

    public RingBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.data = new byte[capacity];
    }

    public void write(byte[] buf, int off, int len) {
        if (len >= data.length) {
            System.arraycopy(buf, off + len - data.length, data, 0, data.length);
            start = 0;
            size = data.length;
            return;
        }
        int end = (start + size) % data.length;
        int first = Math.min(len, data.length - end);
        System.arraycopy(buf, off, data, end, first);
        System.arraycopy(buf, off + first, data, 0, len - first);
        int overflow = size + len - data.length;
        if (overflow > 0) {
            start = (start + overflow) % data.length;
            size = data.length;
        } else {
            size += len;
        }
    }

    /** The buffered bytes, oldest first. */
    public byte[] snapshot() {
        byte[] out = new byte[size];
        int first = Math.min(size, data.length - start);
        System.arraycopy(data, start, out, 0, first);
        System.arraycopy(data, 0, out, first, size - first);
        return out;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return data.length;
    }
}
