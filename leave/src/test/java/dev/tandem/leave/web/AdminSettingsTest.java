package dev.tandem.leave.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.config.ConfigReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {
  @Test
  void googleSignInNeedsItsSecretAndTheAllowedDomains() {
    ConfigReader config = new ConfigReader(Map.of("TANDEM_ADMIN_GOOGLE_CLIENT_ID", "id.apps.googleusercontent.com"), Map.of());
    AdminSettings s = AdminSettings.read(config);
    assertThat(s.google()).isEmpty();
    assertThat(config.problems().toString()).contains("TANDEM_ADMIN_GOOGLE_CLIENT_SECRET", "TANDEM_ADMIN_GOOGLE_DOMAINS");
  }

  @Test
  void onlyEmailsOfTheAllowedDomainsThemselves() {
    ConfigReader config = new ConfigReader(Map.of("TANDEM_ADMIN_GOOGLE_CLIENT_ID", "id", "TANDEM_ADMIN_GOOGLE_CLIENT_SECRET", "s",
        "TANDEM_ADMIN_GOOGLE_DOMAINS", " Acme.example , globex.example"), Map.of());
    AdminSettings.Google google = AdminSettings.read(config).google().orElseThrow();
    assertThat(config.problems()).isEmpty();
    assertThat(google.allows("alice@ACME.example")).isTrue();
    assertThat(google.allows("bob@globex.example")).isTrue();
    assertThat(google.allows("eve@evilacme.example")).isFalse();
    assertThat(google.allows("eve@acme.example.evil.example")).isFalse();
    assertThat(google.allows("eve@sub.acme.example")).isFalse();
  }

  @Test
  void afterSignInOnlyPathsOfTheAdminAreFollowed() {
    assertThat(AdminWeb.next("/admin/records?status=failed")).isEqualTo("/admin/records?status=failed");
    assertThat(AdminWeb.next("//evil.example/admin")).isEqualTo("/admin");
    assertThat(AdminWeb.next("https://evil.example/admin")).isEqualTo("/admin");
    assertThat(AdminWeb.next("/admin\\@evil.example")).isEqualTo("/admin");
    assertThat(AdminWeb.next("/admin/sign-in")).isEqualTo("/admin");
    assertThat(AdminWeb.next(null)).isEqualTo("/admin");
  }
}
