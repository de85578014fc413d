package dev.bhatti.engine;

/**
 * Text that came from inside a guest (its serial console, its VMM's log) made safe for one log
 * line or an API message: newlines, control characters, quotes and backslashes are escaped
 * ({@code \n}, {@code \x1b}, {@code \"}), and the result is capped to its last {@link #MAX_CHARS}
 * characters (the most recent output matters most). The guest can write anything there; none of
 * it may pass for a line of the daemon's own log.
 */
public final class GuestText {
    /** Longest escaped text kept; longer text keeps its end, prefixed by {@code ...}. */
    public static final int MAX_CHARS = 2000;

    private GuestText() {}

    /** {@code key="escaped text"}, e.g. {@code guest_console="boot\nFAKE event=x"}. */
    public static String field(String key, String text) {
        return key + "=\"" + escape(text) + "\"";
    }

    /** {@code text} with every character that could end or forge a log line escaped, capped. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        // Escaped from the end backwards, so the cap keeps whole escapes of the most recent output.
        StringBuilder reversed = new StringBuilder();
        int i = text.length();
        while (i > 0) {
            String piece = escape(text.charAt(--i));
            if (reversed.length() + piece.length() > MAX_CHARS) {
                return "..." + reversed.reverse();
            }
            reversed.append(new StringBuilder(piece).reverse());
        }
        return reversed.reverse().toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            default -> Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT
                    ? (c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c))
                    : String.valueOf(c);
        };
    }
}
