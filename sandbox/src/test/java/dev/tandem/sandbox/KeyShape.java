package dev.tandem.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Compares two JSON documents key by key, recursively; lists compare element-wise up to the shorter one. */
final class KeyShape {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyShape() {}

  static JsonNode sample(String file) {
    try (InputStream in = KeyShape.class.getResourceAsStream("/slack-payloads/" + file)) {
      if (in == null) throw new IllegalArgumentException("no sample " + file);
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode tree(Object o) {
    return JSON.valueToTree(o);
  }

  /** Differences as "path: missing [..] extra [..]"; empty when the shapes agree. */
  static List<String> diff(JsonNode expected, JsonNode actual) {
    List<String> out = new ArrayList<>();
    diff("$", expected, actual, out);
    return out;
  }

  private static void diff(String path, JsonNode e, JsonNode a, List<String> out) {
    if (e.isObject()) {
      if (!a.isObject()) {
        if (!a.isNull() && !e.isEmpty()) out.add(path + ": expected object, got " + a.getNodeType());
        return;
      }
      Set<String> ek = names(e);
      Set<String> ak = names(a);
      Set<String> missing = new TreeSet<>(ek);
      missing.removeAll(ak);
      Set<String> extra = new TreeSet<>(ak);
      extra.removeAll(ek);
      if (!missing.isEmpty() || !extra.isEmpty()) out.add(path + ": missing " + missing + " extra " + extra);
      for (String k : ek) {
        if (ak.contains(k)) diff(path + "." + k, e.get(k), a.get(k), out);
      }
    } else if (e.isArray() && a.isArray()) {
      for (int i = 0; i < Math.min(e.size(), a.size()); i++) diff(path + "[" + i + "]", e.get(i), a.get(i), out);
    }
  }

  private static Set<String> names(JsonNode n) {
    Set<String> s = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) s.add(it.next());
    return s;
  }
}
