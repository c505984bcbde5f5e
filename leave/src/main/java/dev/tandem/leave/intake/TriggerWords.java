package dev.tandem.leave.intake;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gate's keyword test: a keyword counts only as a whole word ("pto" is not in "laptop",
 * "sick" not in "homesick"), case-insensitively, with any run of spaces between the words of a
 * multi-word keyword ("half  day").
 */
public final class TriggerWords {
  private final List<String> words;
  private final Pattern pattern;

  public TriggerWords(List<String> words) {
    this.words = words.stream().map(w -> w.strip().toLowerCase(Locale.ROOT)).filter(w -> !w.isEmpty()).distinct().toList();
    String alternatives = this.words.stream()
        .map(w -> java.util.Arrays.stream(w.split("\\s+")).map(Pattern::quote).collect(Collectors.joining("\\s+")))
        .collect(Collectors.joining("|"));
    this.pattern = this.words.isEmpty() ? null
        : Pattern.compile("(?<![\\p{L}\\p{N}_])(?:" + alternatives + ")(?![\\p{L}\\p{N}_])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  public List<String> words() {
    return words;
  }

  /** Whether {@code text} (as Slack sends it: mentions, links and emoji codes are not words) holds a keyword. */
  public boolean matches(String text) {
    if (pattern == null || text == null) {
      return false;
    }
    // "<@U0PTO>" or "<#C1|leave-policy>" name people and channels; ":palm_tree:" is an emoji, not words
    String plain = text.replaceAll("<[^>]*>", " ").replace('\u2019', '\'');
    return pattern.matcher(plain).find();
  }
}
