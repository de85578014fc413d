package dev.bhatti.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** JSON text columns: string maps (labels, env) and string lists (secret names). */
final class Json {
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };

    private final ObjectMapper mapper = new ObjectMapper();

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value + " as JSON", e);
        }
    }

    Map<String, String> map(String text) throws SQLException {
        try {
            return text == null ? Map.of() : mapper.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON map is malformed: " + e.getOriginalMessage(), e);
        }
    }

    List<String> list(String text) throws SQLException {
        try {
            return text == null ? List.of() : mapper.readValue(text, LIST);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON list is malformed: " + e.getOriginalMessage(), e);
        }
    }
}
