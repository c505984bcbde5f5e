package dev.tandem.sandbox;

import java.util.List;
import java.util.Map;

/**
 * One authenticated Web API request: arguments (form, query or JSON, with Slack's argument names) and who is
 * calling. {@code team}/{@code install} are null for calls that need no workspace token.
 */
record Req(String method, Map<String, Object> args, State.Token token, State.Team team, State.Install install,
    String basicAuth) {

  String str(String name) {
    Object v = args.get(name);
    if (v == null) return null;
    String s = v instanceof String x ? x : Json.write(v);
    return s.isEmpty() ? null : s;
  }

  String required(String name) {
    String v = str(name);
    if (v == null) throw new SlackError("invalid_arguments");
    return v;
  }

  boolean bool(String name, boolean dflt) {
    Object v = args.get(name);
    if (v == null || "".equals(v)) return dflt;
    if (v instanceof Boolean b) return b;
    String s = v.toString();
    return s.equals("1") || s.equalsIgnoreCase("true");
  }

  int integer(String name, int dflt) {
    Object v = args.get(name);
    if (v == null || "".equals(v)) return dflt;
    if (v instanceof Number n) return n.intValue();
    try {
      return Integer.parseInt(v.toString());
    } catch (NumberFormatException e) {
      throw new SlackError("invalid_arguments");
    }
  }

  /** An argument that is JSON: a JSON-encoded string in forms, a structure in JSON bodies. */
  Object json(String name, String errorIfMalformed) {
    Object v = args.get(name);
    if (v == null || "".equals(v)) return null;
    if (!(v instanceof String s)) return v;
    try {
      return Json.read(s);
    } catch (IllegalArgumentException e) {
      throw new SlackError(errorIfMalformed);
    }
  }

  @SuppressWarnings("unchecked")
  List<Object> jsonList(String name, String errorIfMalformed) {
    Object v = json(name, errorIfMalformed);
    if (v == null) return null;
    if (!(v instanceof List<?>)) throw new SlackError(errorIfMalformed);
    return (List<Object>) v;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> jsonObject(String name, String errorIfMalformed) {
    Object v = json(name, errorIfMalformed);
    if (v == null) return null;
    if (!(v instanceof Map<?, ?>)) throw new SlackError(errorIfMalformed);
    return (Map<String, Object>) v;
  }

  String userId() {
    return token.userId();
  }
}
