package dev.bhatti.sdk.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records to JSON trees ({@link dev.bhatti.sdk.Json}'s maps and lists) and back: a component
 * {@code memoryMb} is the field {@code memory_mb}; {@code null} components are left out; enums
 * go by their lower-case name. Unknown fields are ignored (a newer daemon may add some).
 */
public final class Codec {
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    private static final Map<String, String> SNAKE = new ConcurrentHashMap<>();

    private Codec() {}

    /** {@code value} as a tree: records and maps become maps, collections lists. */
    public static Object tree(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Enum<?> e -> e.name().toLowerCase(Locale.ROOT);
            case Record r -> record(r);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), tree(v)));
                yield out;
            }
            case Iterable<?> it -> {
                List<Object> out = new ArrayList<>();
                it.forEach(v -> out.add(tree(v)));
                yield out;
            }
            default -> throw new IllegalArgumentException("cannot encode " + value.getClass().getName());
        };
    }

    private static Map<String, Object> record(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : components(r.getClass())) {
            Object v;
            try {
                // A record of the caller's may be non-public (the CLI's own message records).
                java.lang.reflect.Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                v = accessor.invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c, e);
            }
            if (v != null) {
                out.put(snake(c.getName()), tree(v));
            }
        }
        return out;
    }

    /** A tree as a value of {@code type}: a record, a {@code List<T>}, a {@code Map<String, T>}, a scalar. */
    public static Object value(Object tree, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type arg = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (tree == null) {
                return null;
            }
            if (List.class.isAssignableFrom(raw)) {
                List<Object> out = new ArrayList<>();
                for (Object item : cast(tree, List.class, type)) {
                    out.add(value(item, arg));
                }
                return out;
            }
            if (Map.class.isAssignableFrom(raw)) {
                Map<String, Object> out = new LinkedHashMap<>();
                cast(tree, Map.class, type).forEach((k, v) -> out.put(String.valueOf(k), value(v, arg)));
                return out;
            }
            throw new IllegalArgumentException("cannot decode " + type);
        }
        return scalar(tree, (Class<?>) type);
    }

    /** A tree as a {@code type}. */
    public static <T> T value(Object tree, Class<T> type) {
        @SuppressWarnings("unchecked")
        T t = (T) scalar(tree, type);
        return t;
    }

    /** A tree (a list) as a {@code List<type>}. */
    public static <T> List<T> list(Object tree, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object item : cast(tree, List.class, List.class)) {
            out.add(value(item, type));
        }
        return out;
    }

    private static Object scalar(Object tree, Class<?> type) {
        if (type.isPrimitive()) {
            return primitive(tree, type);
        }
        if (tree == null) {
            return null;
        }
        if (type == Object.class) {
            return tree;
        }
        if (type == String.class) {
            return tree instanceof String ? tree : String.valueOf(tree);
        }
        if (type == Integer.class || type == Long.class || type == Double.class || type == Boolean.class) {
            return primitive(tree, type);
        }
        if (type.isEnum()) {
            for (Object c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equalsIgnoreCase(String.valueOf(tree))) {
                    return c;
                }
            }
            throw new IllegalArgumentException("no " + type.getSimpleName() + " " + tree);
        }
        if (type.isRecord()) {
            return record(cast(tree, Map.class, type), type);
        }
        throw new IllegalArgumentException("cannot decode " + type.getName());
    }

    private static Object primitive(Object tree, Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return tree == null ? Boolean.FALSE : Boolean.TRUE.equals(tree);
        }
        Number n = tree instanceof Number num ? num : tree == null ? 0L : Double.valueOf(String.valueOf(tree));
        if (type == int.class || type == Integer.class) {
            return n.intValue();
        }
        if (type == long.class || type == Long.class) {
            return n.longValue();
        }
        if (type == double.class || type == Double.class) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("cannot decode " + type.getName());
    }

    private static Object record(Map<?, ?> fields, Class<?> type) {
        RecordComponent[] cs = components(type);
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            args[i] = value(fields.get(snake(cs[i].getName())), cs[i].getGenericType());
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("bad " + type.getSimpleName() + ": " + e.getCause().getMessage(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    private static RecordComponent[] components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, Class::getRecordComponents);
    }

    /** {@code memoryMb} → {@code memory_mb}. */
    static String snake(String name) {
        return SNAKE.computeIfAbsent(name, n -> {
            StringBuilder sb = new StringBuilder(n.length() + 4);
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if (Character.isUpperCase(c)) {
                    sb.append('_').append(Character.toLowerCase(c));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        });
    }

    private static <T> T cast(Object tree, Class<T> kind, Type target) {
        if (!kind.isInstance(tree)) {
            throw new IllegalArgumentException("expected a JSON " + (kind == Map.class ? "object" : "array") + " for "
                    + target.getTypeName() + ", got " + tree);
        }
        return kind.cast(tree);
    }
}
