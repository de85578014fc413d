package dev.bhatti.proto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The protocol's JSON: snake_case field names, absent optionals omitted (never
 * {@code null}), unknown fields ignored for forward compatibility. Decoding
 * failures are {@link ProtocolException.Reason#BAD_PAYLOAD} naming the message type.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {}

    /** The shared, configured mapper (thread-safe). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T decode(byte[] json, Class<T> type) throws ProtocolException {
        try {
            return MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw badPayload(type.getSimpleName(), e);
        }
    }

    public static <T> T decode(byte[] json, TypeReference<T> type, String name) throws ProtocolException {
        try {
            return MAPPER.readValue(json, type);
        } catch (java.io.IOException e) {
            throw badPayload(name, e);
        }
    }

    private static ProtocolException badPayload(String name, java.io.IOException e) {
        String detail = e instanceof ValueInstantiationException vie && vie.getCause() != null
                ? vie.getCause().getMessage()
                : e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        return new ProtocolException(ProtocolException.Reason.BAD_PAYLOAD, "invalid " + name + ": " + detail, e);
    }
}
