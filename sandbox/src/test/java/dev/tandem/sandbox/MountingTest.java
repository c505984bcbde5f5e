package dev.tandem.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import org.junit.jupiter.api.Test;

/** The sandbox mounted into a host's Javalin, as the app's demo mode does. */
class MountingTest {

  @Test
  void routesMountUnderThePrefixOfAHostServer() throws Exception {
    FakeSlack slack = FakeSlack.create(FakeSlackOptions.forTests());
    Javalin host = Javalin.create(cfg -> {
      cfg.routes.get("/", ctx -> ctx.result("host"));
      slack.routes(cfg.routes);
      cfg.jetty.port = 0;
      cfg.startup.showJavalinBanner = false;
    }).start();
    try {
      slack.setBaseUrl("http://127.0.0.1:" + host.port() + "/");
      slack.addWorkspace("T1", "One", "one");
      slack.registerApp(AppSpec.builder("App").appId("A1").build());
      Installation i = slack.install("A1", "T1");

      var auth = SandboxFixture.sdk(slack).methods(i.botToken()).authTest(r -> r);

      assertThat(slack.webApiUrl()).isEqualTo("http://127.0.0.1:" + host.port() + "/sandbox/slack/api/");
      assertThat(auth.isOk()).isTrue();
      assertThat(auth.getTeamId()).isEqualTo("T1");
    } finally {
      host.stop();
      slack.close();
    }
  }
}
