package dev.tandem.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Fixtures: a started sandbox seeded with the workspace of the payload samples (Tandem Demo, Alice, Bob,
 * #general, #leave) and one installed app; plus raw HTTP helpers.
 */
final class SandboxFixture {
  static final String TEAM = "T05QW7R3K9P";
  static final String ALICE = "U05QW8A1F3R";
  static final String BOB = "U05QX2B7H4S";
  static final String GENERAL = "C05QW7S2M8L";
  static final String LEAVE = "C06M1P4R7TQ";
  static final String PRIVATE = "G06PRIV0001";
  static final String APP = "A06LV2B8X4D";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private SandboxFixture() {}

  /** A started sandbox with the demo workspace; the app is registered (no URL) and installed. */
  record Sandbox(FakeSlack slack, Installation install, MethodsClient bot, Slack sdk) implements AutoCloseable {
    @Override
    public void close() {
      slack.close();
    }
  }

  static FakeSlack aSeededSlack() {
    return aSeededSlack(FakeSlackOptions.forTests());
  }

  static FakeSlack aSeededSlack(FakeSlackOptions options) {
    FakeSlack slack = FakeSlack.create(options);
    slack.start(0);
    slack.addWorkspace(TEAM, "Tandem Demo", "tandem-demo");
    slack.addUser(TEAM, ALICE, "alice", "Alice Kim", "alice@tandem.example", true);
    slack.addUser(TEAM, BOB, "bob", "Bob Osei", "bob@tandem.example", false);
    slack.addChannel(TEAM, GENERAL, "general", false, ALICE, BOB);
    slack.addChannel(TEAM, LEAVE, "leave", false, ALICE, BOB);
    slack.addChannel(TEAM, PRIVATE, "secret", true, ALICE);
    return slack;
  }

  static Sandbox aSandbox() {
    return aSandbox(AppSpec.builder("Tandem").appId(APP).build());
  }

  static Sandbox aSandbox(AppSpec spec) {
    return aSandbox(spec, FakeSlackOptions.forTests());
  }

  static Sandbox aSandbox(AppSpec spec, FakeSlackOptions options) {
    FakeSlack slack = aSeededSlack(options);
    slack.registerApp(spec);
    Installation install = slack.install(spec.appId(), TEAM);
    slack.invite(TEAM, LEAVE, install.botUserId());
    Slack sdk = sdk(slack);
    return new Sandbox(slack, install, sdk.methods(install.botToken()), sdk);
  }

  static Slack sdk(FakeSlack slack) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(slack.webApiUrl());
    config.setFailOnUnknownProperties(true);
    return Slack.getInstance(config);
  }

  /** POSTs a form to a Web API method with a bearer token; returns status and parsed body. */
  static Raw call(FakeSlack slack, String token, String method, String form) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(slack.webApiUrl() + method))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return send(b.build());
  }

  static Raw callJson(FakeSlack slack, String token, String method, Object body) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(slack.webApiUrl() + method))
          .header("Content-Type", "application/json; charset=utf-8").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
      return send(req);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Raw send(HttpRequest req) {
    try {
      HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      Map<String, Object> body = res.body().startsWith("{") ? JSON.readValue(res.body(), Map.class) : Map.of();
      return new Raw(res.statusCode(), body, res);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Raw(int status, Map<String, Object> body, HttpResponse<String> response) {
    boolean ok() {
      return Boolean.TRUE.equals(body.get("ok"));
    }

    String error() {
      return (String) body.get("error");
    }
  }
}
