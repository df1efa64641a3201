package zdm.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records to JSON and back with jackson-core's streaming generator and the protocol's {@link
 * zdm.protocol.JsonTree}, in the shape Jackson's data binding gave them (SpecJsonTest pins it): a record is
 * an object of its components in order, nulls included; an enum is its {@code @JsonValue} method's text or
 * its name; a sealed interface marked {@code @JsonTypeInfo(use = NAME)} puts its subtype's
 * {@code @JsonSubTypes} name first. Reading, a missing or null value is null, 0 or false, and the record's
 * own constructor applies its defaults. Data binding itself is not loaded: it cost the daemon ~400 classes
 * for this one column. Stateless (the reflective look-ups are cached per class).
 */
final class RecordJson {
    private RecordJson() {}

    /** A value that does not fit its type. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message);
        }
    }

    static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i.intValue());
            case Long l -> g.writeNumber(l.longValue());
            case Double d -> g.writeNumber(d.doubleValue());
            case Enum<?> e -> g.writeString(text(e));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object o : c) write(g, o);
                g.writeEndArray();
            }
            case Record r -> {
                g.writeStartObject();
                components(g, r);
                g.writeEndObject();
            }
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName());
        }
    }

    /** A record's fields, without the braces: its subtype's name first when it has one, then its components. */
    static void components(JsonGenerator g, Record r) throws IOException {
        Subtypes subtypes = SUBTYPES.get(r.getClass().getInterfaces().length == 1 ? r.getClass().getInterfaces()[0] : Object.class);
        if (subtypes != null) g.writeStringField(subtypes.property, subtypes.nameOf(r.getClass()));
        for (RecordComponent c : parts(r.getClass())) {
            g.writeFieldName(c.getName());
            write(g, invoke(c.getAccessor(), r));
        }
    }

    /** {@code json} (as {@link zdm.protocol.JsonTree} reads it) as a value of {@code type}. */
    static Object read(Object json, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type element = p.getActualTypeArguments()[p.getActualTypeArguments().length - 1];
            if (json == null) return null;
            if (List.class.isAssignableFrom(raw) && json instanceof List<?> l) {
                var out = new ArrayList<Object>(l.size());
                for (Object o : l) out.add(read(o, element));
                return out;
            }
            if (Map.class.isAssignableFrom(raw) && json instanceof Map<?, ?> m) {
                var out = new LinkedHashMap<String, Object>();
                m.forEach((k, v) -> out.put((String) k, read(v, element)));
                return out;
            }
            throw new Mismatch("expected a " + raw.getSimpleName() + ", found " + json);
        }
        Class<?> c = (Class<?>) type;
        if (c.isPrimitive()) return primitive(json, c);
        if (json == null) return null;
        if (c == String.class) return json instanceof String s ? s : String.valueOf(json);
        if (c == Integer.class || c == Long.class || c == Boolean.class || c == Double.class) {
            return primitive(json, c == Integer.class ? int.class : c == Long.class ? long.class : c == Boolean.class ? boolean.class : double.class);
        }
        if (c.isEnum()) return constant(c, json);
        if (!(json instanceof Map<?, ?> m)) throw new Mismatch("expected an object for " + c.getSimpleName() + ", found " + json);
        Subtypes subtypes = SUBTYPES.get(c);
        if (subtypes != null) c = subtypes.typeOf(m.get(subtypes.property));
        if (!c.isRecord()) throw new Mismatch("cannot read a " + c.getName());
        RecordComponent[] parts = parts(c);
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) args[i] = read(m.get(parts[i].getName()), parts[i].getGenericType());
        try {
            return CONSTRUCTORS.get(c).newInstance(args);
        } catch (InvocationTargetException e) {
            throw new Mismatch(c.getSimpleName() + ": " + e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object primitive(Object json, Class<?> c) {
        if (c == boolean.class) return json instanceof Boolean b ? b : Boolean.valueOf("true".equals(json));
        Number n = switch (json) {
            case null -> 0;
            case Number x -> x;
            case String s -> Double.parseDouble(s);
            default -> throw new Mismatch("expected a number, found " + json);
        };
        if (c == int.class) return n.intValue();
        if (c == long.class) return n.longValue();
        return n.doubleValue();
    }

    private static Object constant(Class<?> type, Object json) {
        for (Object e : type.getEnumConstants()) {
            if (text((Enum<?>) e).equals(json)) return e;
        }
        throw new Mismatch("\"" + json + "\" is not a " + type.getSimpleName());
    }

    /** An enum constant as data binding wrote it: its {@code @JsonValue} method's text, or its name. */
    private static String text(Enum<?> e) {
        Method m = JSON_VALUE.get(e.getDeclaringClass());
        return m == null ? e.name() : String.valueOf(invoke(m, e));
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A record class's components, looked up once: {@link Class#getRecordComponents()} makes new objects at each
     * call, each with a new accessor {@link Method}, and a new Method builds its own method handle at its
     * first {@code invoke}; that was a sixth of the daemon's CPU while it started 1,000 workers (each spec
     * written to the store). The array is shared: callers must not change it.
     */
    static RecordComponent[] parts(Class<?> type) {
        return PARTS.get(type);
    }

    private static final ClassValue<RecordComponent[]> PARTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private static final ClassValue<Method> JSON_VALUE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return Arrays.stream(type.getMethods()).filter(m -> m.getParameterCount() == 0 && m.isAnnotationPresent(JsonValue.class))
                    .findFirst().orElse(null);
        }
    };

    private static final ClassValue<Constructor<?>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<?> computeValue(Class<?> type) {
            var types = Arrays.stream(parts(type)).map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                return type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /** A sealed type's names by {@code @JsonTypeInfo}/{@code @JsonSubTypes}, or null for a type without them. */
    private record Subtypes(String property, Map<String, Class<?>> byName) {
        String nameOf(Class<?> type) {
            for (var e : byName.entrySet()) if (e.getValue() == type) return e.getKey();
            throw new IllegalStateException(type.getName() + " has no @JsonSubTypes name");
        }

        Class<?> typeOf(Object name) {
            Class<?> type = byName.get(name);
            if (type == null) throw new Mismatch("unknown " + property + " \"" + name + "\" (known: " + byName.keySet() + ")");
            return type;
        }
    }

    private static final ClassValue<Subtypes> SUBTYPES = new ClassValue<>() {
        @Override
        protected Subtypes computeValue(Class<?> type) {
            var info = type.getAnnotation(JsonTypeInfo.class);
            var names = type.getAnnotation(JsonSubTypes.class);
            if (info == null || names == null || info.use() != JsonTypeInfo.Id.NAME) return null;
            var byName = new LinkedHashMap<String, Class<?>>();
            for (var t : names.value()) byName.put(t.name(), t.value());
            return new Subtypes(info.property(), byName);
        }
    };
}
