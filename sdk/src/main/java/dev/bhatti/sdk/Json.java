package dev.bhatti.sdk;

import dev.bhatti.sdk.internal.Codec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON layer of plain Java values (it starts in a few milliseconds, unlike a data-binding
 * library): an object is a {@code Map<String, Object>} in wire order, an array a {@code List},
 * numbers {@code Long} or {@code Double}, and {@code true}/{@code false}/{@code null}. Records
 * become and come from such trees through {@code dev.bhatti.sdk.internal.Codec}.
 */
public final class Json {
    private Json() {}

    /** The value {@code text} holds; throws {@link IllegalArgumentException} when it is not JSON. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.space();
        Object value = p.value();
        p.space();
        if (p.at < text.length()) {
            throw p.fail("trailing characters");
        }
        return value;
    }

    /**
     * {@code value} as compact JSON: a tree of maps, lists, strings, numbers, booleans and nulls,
     * or records of {@code dev.bhatti.api.model} (snake_case fields, {@code null}s left out).
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, Codec.tree(value), -1);
        return sb.toString();
    }

    /**
     * {@code value} pretty-printed the way Jackson's default printer does it: two-space indented
     * objects ({@code { }} when empty), arrays on one line ({@code [ a, b ]}, {@code [ ]}), and
     * {@code "key" : value}.
     */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, Codec.tree(value), 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int level) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(d.isInfinite() || d.isNaN() ? "null" : d.toString());
            case Float f -> sb.append(f.toString());
            case Number n -> sb.append(n.toString());
            case Map<?, ?> m -> object(sb, m, level);
            case List<?> l -> array(sb, l, level);
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void object(StringBuilder sb, Map<?, ?> m, int level) {
        boolean pretty = level >= 0;
        if (m.isEmpty()) {
            sb.append(pretty ? "{ }" : "{}");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            if (pretty) {
                sb.append('\n').append("  ".repeat(level + 1));
            }
            quote(sb, String.valueOf(e.getKey()));
            sb.append(pretty ? " : " : ":");
            write(sb, e.getValue(), pretty ? level + 1 : -1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        if (pretty) {
            sb.append('\n').append("  ".repeat(level));
        }
        sb.append('}');
    }

    private static void array(StringBuilder sb, List<?> l, int level) {
        boolean pretty = level >= 0;
        if (l.isEmpty()) {
            sb.append(pretty ? "[ ]" : "[]");
            return;
        }
        sb.append(pretty ? "[ " : "[");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(pretty ? ", " : ",");
            }
            write(sb, l.get(i), level);
        }
        sb.append(pretty ? " ]" : "]");
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException fail(String why) {
            return new IllegalArgumentException("not JSON (" + why + " at offset " + at + ")");
        }

        void space() {
            while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
        }

        Object value() {
            if (at >= s.length()) {
                throw fail("unexpected end");
            }
            char c = s.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, at)) {
                throw fail("unexpected character");
            }
            at += word.length();
            return value;
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            at++;
            space();
            if (peek('}')) {
                return m;
            }
            while (true) {
                space();
                if (at >= s.length() || s.charAt(at) != '"') {
                    throw fail("expected a key");
                }
                String key = string();
                space();
                expect(':');
                space();
                m.put(key, value());
                space();
                if (peek('}')) {
                    return m;
                }
                expect(',');
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            at++;
            space();
            if (peek(']')) {
                return l;
            }
            while (true) {
                space();
                l.add(value());
                space();
                if (peek(']')) {
                    return l;
                }
                expect(',');
            }
        }

        private boolean peek(char c) {
            if (at < s.length() && s.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
        }

        private String string() {
            at++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (at >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (at >= s.length()) {
                    throw fail("unterminated escape");
                }
                char e = s.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw fail("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw fail("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> throw fail("bad escape");
                }
            }
        }

        private Object number() {
            int start = at;
            boolean real = false;
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c == '.' || c == 'e' || c == 'E') {
                    real = true;
                } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
                    break;
                }
                at++;
            }
            String text = s.substring(start, at);
            if (text.isEmpty()) {
                throw fail("unexpected character");
            }
            try {
                return real ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
            } catch (NumberFormatException e) {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException x) {
                    throw fail("bad number");
                }
            }
        }
    }
}
