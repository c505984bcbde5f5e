package dev.tandem.leave.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void argumentsAreEscapedUnlessTheyAreHtmlThemselves() {
    Html inner = Html.of("<b>{}</b>", "Tom & \"Jerry\" <script>");
    assertThat(inner.html()).isEqualTo("<b>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</b>");
    assertThat(Html.of("<p title=\"{}\">{}</p>", "it's", inner).html())
        .isEqualTo("<p title=\"it&#39;s\"><b>Tom &amp; &quot;Jerry&quot; &lt;script&gt;</b></p>");
    assertThat(Html.of("{}", (Object) null).html()).isEmpty();
  }

  @Test
  void eachJoinsAndWhenChooses() {
    assertThat(Html.each(List.of("a", "<b>"), s -> Html.of("<li>{}</li>", s)).html()).isEqualTo("<li>a</li><li>&lt;b&gt;</li>");
    assertThat(Html.when(false, Html.of("x")).html()).isEmpty();
    assertThat(Html.when(true, Html.of("x")).html()).isEqualTo("x");
  }

  @Test
  void aTemplateAndItsArgumentsMustAgree() {
    assertThatThrownBy(() -> Html.of("{} {}", "one")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Html.of("{}", "one", "two")).isInstanceOf(IllegalArgumentException.class);
  }
}
