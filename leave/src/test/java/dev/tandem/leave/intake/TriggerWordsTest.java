package dev.tandem.leave.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.leave.LeaveSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's keywords count only as whole words (the reference bot fired on "laptop" for "pto"). */
class TriggerWordsTest {
  private final TriggerWords defaults = new TriggerWords(LeaveSettings.DEFAULT_KEYWORDS);

  @Test
  void wordsInsideOtherWordsDoNotCount() {
    assertThat(defaults.matches("my laptop died, any crypto folks around with a charger?")).isFalse();
    assertThat(defaults.matches("feeling homesick this week")).isFalse();
    assertThat(defaults.matches("the office printer is broken")).isFalse();
    assertThat(defaults.matches("wfh today, ping me on slack")).isFalse();
  }

  @Test
  void wholeWordsCountInAnyCaseAndSpacing() {
    assertThat(defaults.matches("PTO on friday")).isTrue();
    assertThat(defaults.matches("taking a Half   Day tomorrow")).isTrue();
    assertThat(defaults.matches("I won’t be in tomorrow")).as("a typographic apostrophe").isTrue();
    assertThat(defaults.matches("out tomorrow :palm_tree:")).isTrue();
  }

  @Test
  void mentionsAndChannelLinksAreNotWords() {
    TriggerWords leave = new TriggerWords(List.of("leave"));
    assertThat(leave.matches("ask <#C0123|leave> about it")).isFalse();
    assertThat(leave.matches("<@U0LEAVE> hello")).isFalse();
    assertThat(leave.matches("on leave friday")).isTrue();
  }

  @Test
  void noKeywordsMatchNothing() {
    assertThat(new TriggerWords(List.of(" ", "")).matches("leave")).isFalse();
  }
}
