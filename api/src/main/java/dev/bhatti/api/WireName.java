package dev.bhatti.api;

import java.util.Locale;

/** An enum whose wire form is its constant's name in lower case ({@code RUNNING} ↔ {@code "running"}). */
public interface WireName {
    /** The constant's name (every enum has it). */
    String name();

    /** The wire form, lower case. */
    default String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} for a wire form; {@link IllegalArgumentException} for an unknown one. */
    static <E extends Enum<E>> E parse(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }
}
