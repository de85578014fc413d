package dev.bhatti.agent;

/** lohar, the guest agent: entry point. */
public final class Lohar {
    private Lohar() {}

    public static void main(String[] args) {
        System.out.println("lohar");
    }
}
