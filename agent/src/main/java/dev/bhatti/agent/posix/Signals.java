package dev.bhatti.agent.posix;

/** Linux signal numbers, for {@link Child#signal} and {@link Child#signalGroup}. */
public final class Signals {
    public static final int HUP = 1;
    public static final int INT = 2;
    public static final int KILL = 9;
    public static final int TERM = 15;

    private Signals() {}
}
