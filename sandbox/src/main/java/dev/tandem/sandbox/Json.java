package dev.tandem.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON helpers: Slack shapes are kept as ordered maps so keys and nulls survive exactly. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** An ordered map from alternating keys and values; values may be null. */
  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + o.getClass(), e);
    }
  }

  static Map<String, Object> readObject(String s) {
    try {
      return MAPPER.readValue(s, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  static Object read(String s) {
    try {
      return MAPPER.readValue(s, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A deep copy, so stored state never leaks to callers who might mutate it. */
  @SuppressWarnings("unchecked")
  static <T> T copy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> c = new LinkedHashMap<>();
      m.forEach((k, v) -> c.put((String) k, copy(v)));
      return (T) c;
    }
    if (value instanceof List<?> l) {
      List<Object> c = new ArrayList<>(l.size());
      l.forEach(v -> c.add(copy(v)));
      return (T) c;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }
}
