package dev.tandem.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, an optional
 * {@code export } prefix, and single- or double-quoted values (double quotes understand
 * {@code \n}, {@code \"} and {@code \\}). Malformed lines become problems, never silent skips.
 */
public final class DotEnv {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private DotEnv() {}

  /** The parsed values, or an empty map when the file does not exist. */
  public static Map<String, String> read(Path file, List<ConfigProblem> problems) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      return parse(Files.readAllLines(file), file.getFileName().toString(), problems);
    } catch (IOException e) {
      problems.add(new ConfigProblem(file.toString(), "cannot read (" + e.getMessage() + ")"));
      return Map.of();
    }
  }

  static Map<String, String> parse(List<String> lines, String fileName, List<ConfigProblem> problems) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      String where = fileName + " line " + (i + 1);
      if (eq <= 0 || !KEY.matcher(line.substring(0, eq).strip()).matches()) {
        problems.add(new ConfigProblem(where, "expected KEY=VALUE with KEY made of letters, digits and _"));
        continue;
      }
      String key = line.substring(0, eq).strip();
      String raw = line.substring(eq + 1).strip();
      try {
        values.put(key, unquote(raw));
      } catch (IllegalArgumentException e) {
        problems.add(new ConfigProblem(where, e.getMessage()));
      }
    }
    return values;
  }

  private static String unquote(String raw) {
    if (raw.startsWith("\"")) {
      int end = closingQuote(raw);
      return unescape(raw.substring(1, end));
    }
    if (raw.startsWith("'")) {
      int end = raw.indexOf('\'', 1);
      if (end < 0) {
        throw new IllegalArgumentException("unterminated single quote");
      }
      return raw.substring(1, end);
    }
    int comment = raw.indexOf(" #");
    return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
  }

  private static int closingQuote(String raw) {
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    throw new IllegalArgumentException("unterminated double quote");
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        out.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> n;
        });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
