package dev.tandem.bench;

import dev.tandem.sandbox.AppRegistration;
import dev.tandem.sandbox.AppSpec;
import dev.tandem.sandbox.FakeSlack;
import dev.tandem.sandbox.FakeSlackOptions;
import dev.tandem.sync.link.SyncTopology;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sync benchmarks: Tandem (started through {@link BenchHost}) syncing channel sets across
 * sandbox workspaces, measured on the sandbox's clock.
 *
 * <ul>
 *   <li>{@code sync-latency}: 10 workspaces, 20 channel sets (so each target channel receives at
 *   most one post a second, as Slack allows), 20 messages a second, 50 ms per Web API call, Tandem's
 *   and the sandbox's limits on. Latency of a message: from its ts in the source (when Slack sends
 *   the event) to the ts of its last copy (when the last target shows it).</li>
 *   <li>{@code sync-throughput}: 3 workspaces (2 targets per message), no latency and no limits,
 *   as many messages as the engine takes with a bounded backlog; messages per second from the
 *   first post to the last copy.</li>
 * </ul>
 */
public final class SyncBench {
  private static final String SYNC_APP = "sync";
  private static final List<String> SYNC_SCOPES = List.of("channels:history", "channels:join", "channels:read", "chat:write",
      "chat:write.customize", "files:read", "files:write", "groups:history", "groups:read", "reactions:read", "reactions:write",
      "team:read", "users:read", "users:read.email");
  private static final List<String> SYNC_EVENTS = List.of("message.channels", "message.groups", "reaction_added", "reaction_removed",
      "team_join", "user_profile_changed", "app_uninstalled", "tokens_revoked");

  private final BenchHost host;
  private final Path workDir;
  private final String databaseUrl;

  /**
   * @param workDir data directory of the Tandem under test (key file, SQLite database)
   * @param databaseUrl the database Tandem uses (a fresh one)
   */
  public SyncBench(BenchHost host, Path workDir, String databaseUrl) {
    this.host = host;
    this.workDir = workDir;
    this.databaseUrl = databaseUrl;
  }

  /** One benchmark's outcome, printed as {@code {"bench": ..., "params": {...}, "metrics": {...}}}. */
  public record Result(String bench, Map<String, Object> params, Map<String, Object> metrics) {
    public String json() {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("bench", bench);
      all.put("params", params);
      all.put("metrics", metrics);
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(all);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public Result latency(int messages) throws Exception {
    int workspaces = 10;
    int sets = 20;
    int perSecond = 20;
    long latencyMs = 50;
    try (World world = new World(workspaces, sets, Map.of("TANDEM_JOB_CONCURRENCY", "64", "DATABASE_POOL_SIZE", "40"))) {
      world.slack.knobs().channelLimits(true);
      world.warmUp();
      world.slack.knobs().latency(Duration.ofMillis(latencyMs));
      List<Sent> sent = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        long due = start + i * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int set = i % sets;
        int source = (i / sets) % workspaces;
        String text = "latency " + i;
        sent.add(new Sent(text, set, source, world.post(source, set, text)));
      }
      Verified v = world.awaitCopies(sent, Duration.ofSeconds(60));
      double[] lat = v.latenciesMs();
      Arrays.sort(lat);
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("p50_ms", percentile(lat, 50));
      metrics.put("p99_ms", percentile(lat, 99));
      metrics.put("max_ms", lat.length == 0 ? 0 : lat[lat.length - 1]);
      metrics.put("floor_ms", latencyMs);
      metrics.put("answered_429", world.slack.calls().stream().filter(c -> c.httpStatus() == 429).count());
      metrics.putAll(v.counts());
      return new Result("sync-latency", params(messages, workspaces, sets, "messages_per_s", perSecond, "api_latency_ms", latencyMs),
          metrics);
    }
  }

  public Result throughput(int messages) throws Exception {
    int workspaces = 3;
    int sets = 60;
    int backlog = 600;
    try (World world = new World(workspaces, sets, Map.of("TANDEM_SLACK_RATE_LIMITS", "false", "TANDEM_JOB_CONCURRENCY", "64",
        "DATABASE_POOL_SIZE", "40"))) {
      world.warmUp();
      long baseline = world.copiesMade();
      List<Sent> sent = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        while (i - (world.copiesMade() - baseline) / (workspaces - 1) > backlog) {
          Thread.sleep(5);
        }
        int set = i % sets;
        int source = (i / sets) % workspaces;
        String text = "throughput " + i;
        sent.add(new Sent(text, set, source, world.post(source, set, text)));
      }
      while (world.copiesMade() - baseline < (long) messages * (workspaces - 1)) {
        Thread.sleep(20);
        if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
          break;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Verified v = world.awaitCopies(sent, Duration.ofSeconds(60));
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("messages_per_s", Math.round(messages / seconds * 10) / 10.0);
      metrics.put("duration_s", Math.round(seconds * 10) / 10.0);
      metrics.putAll(v.counts());
      return new Result("sync-throughput", params(messages, workspaces, sets, "backlog", backlog, "database",
          databaseUrl.substring(0, databaseUrl.indexOf(':'))), metrics);
    }
  }

  private static Map<String, Object> params(int messages, int workspaces, int sets, String k1, Object v1, String k2, Object v2) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("messages", messages);
    p.put("workspaces", workspaces);
    p.put("channel_sets", sets);
    p.put(k1, v1);
    p.put(k2, v2);
    p.put("cpus", Runtime.getRuntime().availableProcessors());
    return p;
  }

  static double percentile(double[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return Math.round(sorted[Math.max(0, Math.min(sorted.length - 1, index))] * 10) / 10.0;
  }

  private record Sent(String text, int set, int source, String ts) {}

  /** Every expected copy found or not, and the latency of each fully copied message. */
  private record Verified(int verified, int lost, int duplicated, List<Double> latencies) {
    double[] latenciesMs() {
      return latencies.stream().mapToDouble(Double::doubleValue).toArray();
    }

    Map<String, Object> counts() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("copies_verified", verified);
      m.put("lost", lost);
      m.put("duplicated", duplicated);
      return m;
    }
  }

  /** The sandbox with its workspaces and channel sets, and Tandem installed and syncing them. */
  private final class World implements AutoCloseable {
    final FakeSlack slack = FakeSlack.create(FakeSlackOptions.defaults().withPrefix(""));
    final int workspaces;
    final int sets;
    final BenchHost.Tandem tandem;

    World(int workspaces, int sets, Map<String, String> extra) throws Exception {
      this.workspaces = workspaces;
      this.sets = sets;
      int port = freePort();
      slack.start(0);
      String base = "http://127.0.0.1:" + port;
      for (int w = 0; w < workspaces; w++) {
        slack.addWorkspace(team(w), "Workspace " + w, "ws" + w);
        slack.addUser(team(w), user(w), "person" + w, "Person " + w, "person" + w + "@ws" + w + ".example", true);
        for (int s = 0; s < sets; s++) {
          slack.addChannel(team(w), channel(w, s), "set-" + s, false, user(w));
        }
      }
      AppRegistration app = slack.registerApp(AppSpec.builder("Tandem Sync").botScopes(SYNC_SCOPES.toArray(String[]::new))
          .botEvents(SYNC_EVENTS.toArray(String[]::new)).requestUrl(base + "/slack/sync/events").build());
      Map<String, String> env = new HashMap<>(Map.of("PORT", String.valueOf(port), "TANDEM_BIND_HOST", "127.0.0.1",
          "TANDEM_DATA_DIR", workDir.toString(), "DATABASE_URL", databaseUrl, "SLACK_API_URL", slack.webApiUrl(),
          "SLACK_AUTHORIZE_URL", slack.authorizeUrl(), "TANDEM_PUBLIC_URL", base, "TANDEM_LOG_LEVEL", "warn"));
      env.putAll(Map.of("SLACK_SYNC_SIGNING_SECRET", app.signingSecret(), "SLACK_SYNC_CLIENT_ID", app.clientId(),
          "SLACK_SYNC_CLIENT_SECRET", app.clientSecret()));
      env.putAll(extra);
      tandem = host.start(env);
      SyncTopology topology = tandem.topology();
      for (int w = 0; w < workspaces; w++) {
        String bot = tandem.install(SYNC_APP, team(w));
        for (int s = 0; s < sets; s++) {
          slack.invite(team(w), channel(w, s), bot);
        }
      }
      String group = topology.createGroup("bench", team(0));
      for (int w = 1; w < workspaces; w++) {
        topology.addMember(group, team(w));
      }
      for (int s = 0; s < sets; s++) {
        String sync = topology.createGroupSync(group, "set-" + s, team(0));
        for (int w = 0; w < workspaces; w++) {
          topology.link(sync, team(w), channel(w, s));
        }
      }
      awaitJobsDone(Duration.ofSeconds(60));
    }

    String post(int workspace, int set, String text) {
      return slack.postAsUser(team(workspace), channel(workspace, set), user(workspace), text, null);
    }

    /** One message from every workspace, so that directories, mappings and connections are warm. */
    void warmUp() throws InterruptedException {
      List<Sent> sent = new ArrayList<>();
      for (int w = 0; w < workspaces; w++) {
        sent.add(new Sent("warm-up " + w, w % sets, w, post(w, w % sets, "warm-up " + w)));
      }
      awaitCopies(sent, Duration.ofSeconds(60));
      awaitJobsDone(Duration.ofSeconds(60));
    }

    /** Messages apps posted so far, as the sandbox counts them (reading the database here would load the engine under test). */
    long copiesMade() {
      return slack.succeededCalls("chat.postMessage");
    }

    void awaitJobsDone(Duration max) throws InterruptedException {
      long until = System.nanoTime() + max.toNanos();
      while (System.nanoTime() < until && tandem.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM core_job WHERE status IN ('queued', 'running') AND kind <> 'sync.directory'").mapTo(Long.class).one()) > 0) {
        Thread.sleep(50);
      }
    }

    /** Waits until every message has a copy in every other workspace (or {@code max} passed), then counts. */
    Verified awaitCopies(List<Sent> sent, Duration max) throws InterruptedException {
      long until = System.nanoTime() + max.toNanos();
      while (true) {
        Verified v = verify(sent);
        if (v.lost() == 0 || System.nanoTime() > until) {
          return v;
        }
        Thread.sleep(200);
      }
    }

    private Verified verify(List<Sent> sent) {
      Map<String, List<String>> copies = new HashMap<>(); // text + "|" + workspace -> copy ts
      for (int w = 0; w < workspaces; w++) {
        for (int s = 0; s < sets; s++) {
          for (Map<String, Object> m : slack.messages(team(w), channel(w, s))) {
            if (m.get("bot_id") != null) {
              copies.computeIfAbsent(m.get("text") + "|" + w, k -> new ArrayList<>()).add((String) m.get("ts"));
            }
          }
        }
      }
      int verified = 0;
      int lost = 0;
      int duplicated = 0;
      List<Double> latencies = new ArrayList<>();
      for (Sent s : sent) {
        double last = 0;
        boolean complete = true;
        for (int w = 0; w < workspaces; w++) {
          if (w == s.source()) {
            continue;
          }
          List<String> found = copies.getOrDefault(s.text() + "|" + w, List.of());
          if (found.isEmpty()) {
            lost++;
            complete = false;
          } else {
            verified++;
            duplicated += found.size() - 1;
            last = Math.max(last, seconds(found.getFirst()));
          }
        }
        if (complete) {
          latencies.add((last - seconds(s.ts())) * 1000);
        }
      }
      return new Verified(verified, lost, duplicated, latencies);
    }

    @Override
    public void close() {
      tandem.close();
      slack.close();
    }
  }

  private static double seconds(String ts) {
    return Double.parseDouble(ts);
  }

  static String team(int w) {
    return String.format(Locale.ROOT, "T0BENCH%02d", w);
  }

  static String user(int w) {
    return String.format(Locale.ROOT, "U0PERSON%02d", w);
  }

  static String channel(int w, int s) {
    return String.format(Locale.ROOT, "C0W%02dS%02d", w, s);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
