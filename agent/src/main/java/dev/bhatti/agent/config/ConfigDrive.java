package dev.bhatti.agent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.bhatti.proto.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the config drive's {@code config.json}. Unknown fields are ignored (an older agent
 * accepts a newer host's config); malformed JSON or wrong field types fail with a message
 * naming the file, the problem and the line and column.
 */
public final class ConfigDrive {
    /** The file's name on the config drive. */
    public static final String FILE_NAME = "config.json";

    private ConfigDrive() {}

    /** Parses the config file; {@link IOException} when it cannot be read or is not a valid config. */
    public static AgentConfig read(Path configJson) throws IOException {
        return parse(Files.readAllBytes(configJson), configJson.toString());
    }

    /** Parses config JSON; {@code source} names it in error messages. */
    public static AgentConfig parse(byte[] json, String source) throws IOException {
        try {
            AgentConfig config = Json.mapper().readValue(json, AgentConfig.class);
            if (config == null) {
                throw new IOException("invalid config " + source + ": the document is empty or null");
            }
            return config;
        } catch (JacksonException e) {
            throw new IOException("invalid config " + source + ": " + describe(e), e);
        }
    }

    private static String describe(JacksonException e) {
        String detail = e instanceof ValueInstantiationException v && v.getCause() != null
                ? v.getCause().getMessage()
                : e.getOriginalMessage();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            detail = "field " + fieldPath(m) + ": " + detail;
        }
        JsonLocation at = e.getLocation();
        return at == null ? detail : detail + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** {@code volumes[0].read_only} style path of the failing value. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
