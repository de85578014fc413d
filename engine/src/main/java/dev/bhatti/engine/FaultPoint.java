package dev.bhatti.engine;

/**
 * Test-only crash points: when the environment variable {@code BHATTI_FAULT_POINT} names a point
 * (e.g. {@code create.after_vm_start}), the process halts with exit code 137 when it reaches it —
 * a faithful stand-in for SIGKILL: no shutdown hook, no finally block, no snapshot runs. Read once
 * at class load; unset (production) every {@link #reach} is one comparison with null. Nothing in
 * the API can set it (decision 0014).
 */
public final class FaultPoint {
    /** The environment variable naming the armed point. */
    public static final String ENV = "BHATTI_FAULT_POINT";
    private static final String ARMED = System.getenv(ENV);

    private FaultPoint() {}

    /** Halts the JVM at once if {@code point} is the armed one; otherwise does nothing. */
    public static void reach(String point) {
        if (ARMED != null && ARMED.equals(point)) {
            System.err.println("event=fault_point_reached point=" + point + " (halting with 137)");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
