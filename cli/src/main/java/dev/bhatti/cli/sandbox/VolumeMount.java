package dev.bhatti.cli.sandbox;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code create --volume NAME:MOUNT[:ro]}: an existing volume attached at an absolute mount point. */
record VolumeMount(String name, String mount, boolean readOnly) {
    static final String FORMAT = "NAME:MOUNT[:ro]";

    /** Parses the option value; a bad one is a parameter error that names the option. */
    static final class Converter implements ITypeConverter<VolumeMount> {
        @Override
        public VolumeMount convert(String value) {
            String[] parts = value.split(":", -1);
            boolean modeOk = parts.length == 2 || parts.length == 3 && (parts[2].equals("ro") || parts[2].equals("rw"));
            if (!modeOk || parts[0].isEmpty() || !parts[1].startsWith("/")) {
                throw new TypeConversionException("expected " + FORMAT + " with an absolute MOUNT, e.g. data:/data:ro, "
                        + "got '" + value + "'");
            }
            return new VolumeMount(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro"));
        }
    }
}
