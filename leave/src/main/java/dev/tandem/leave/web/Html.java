package dev.tandem.leave.web;

import java.util.Collection;
import java.util.function.Function;

/**
 * A fragment of HTML that is safe by construction: {@link #of} fills each {@code {}} of a
 * template with an argument, escaping it unless it is itself an {@code Html}. Text from people,
 * Slack or the database can only reach a page escaped.
 */
public record Html(String html) {
  public static final Html EMPTY = new Html("");

  /** The template (trusted: a constant in our code) with its {@code {}} placeholders filled, escaped. */
  public static Html of(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 64);
    int arg = 0;
    int from = 0;
    for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
      out.append(template, from, at);
      if (arg >= args.length) {
        throw new IllegalArgumentException("more {} than arguments in: " + template);
      }
      Object a = args[arg++];
      out.append(a instanceof Html h ? h.html : escape(a == null ? "" : String.valueOf(a)));
      from = at + 2;
    }
    if (arg != args.length) {
      throw new IllegalArgumentException("more arguments than {} in: " + template);
    }
    return new Html(out.append(template, from, template.length()).toString());
  }

  /** The fragments one after another. */
  public static <T> Html each(Collection<T> items, Function<T, Html> render) {
    StringBuilder out = new StringBuilder();
    items.forEach(i -> out.append(render.apply(i).html));
    return new Html(out.toString());
  }

  public static Html when(boolean condition, Html html) {
    return condition ? html : EMPTY;
  }

  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return html;
  }
}
