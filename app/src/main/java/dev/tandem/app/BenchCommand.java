package dev.tandem.app;

import dev.tandem.bench.BenchHost;
import dev.tandem.bench.SyncBench;
import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.db.DatabaseUrl;
import dev.tandem.core.db.Dialect;
import dev.tandem.sync.link.SyncTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Runs a benchmark of Tandem against the built-in Slack sandbox and prints one JSON object"
        + " {\"bench\", \"params\", \"metrics\"} (see docs/PERFORMANCE.md).",
        "  sync-latency     10 workspaces, 20 messages/s, 50 ms per Web API call, on a fresh SQLite database, or on a"
            + " fresh database of the PostgreSQL server of DATABASE_URL when it names one.",
        "  sync-throughput  2 targets per message, no latency or limits, on a fresh database created on the"
            + " PostgreSQL server of DATABASE_URL.",
        "  leave-parse      the Leave rule parser over the cases of --cases FILE (JSON Lines: text, today, thread),"
            + " after a warm-up; time per message.",
        "  admin-records    the web admin over HTTP with --messages N leave records (default 50000, 500 people) on a fresh"
            + " SQLite database: time per request of the records list (API and page), filtered, the dashboard, and one CSV export."})
final class BenchCommand implements Callable<Integer> {
  private final Launch launch;

  @Parameters(index = "0", paramLabel = "NAME", description = "sync-latency, sync-throughput, leave-parse or admin-records")
  String name;

  @Option(names = "--messages", paramLabel = "N", description = "Messages to send (default: 400 for sync-latency, 12000 for sync-throughput).")
  Integer messages;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON result to FILE.")
  Path out;

  @Option(names = "--cases", paramLabel = "FILE", description = "leave-parse: the messages to parse (JSON Lines with text, today, thread).")
  Path cases;

  BenchCommand(Launch launch) {
    this.launch = launch;
  }

  @Override
  public Integer call() throws Exception {
    if (name.equals("leave-parse")) {
      return print(leaveParse());
    }
    if (name.equals("admin-records")) {
      return print(adminRecords(messages == null ? 50_000 : messages));
    }
    Path work = Files.createTempDirectory("tandem-bench-");
    String server = launch.config().peek("DATABASE_URL").orElse("");
    boolean postgres = server.startsWith("postgres");
    if (!name.equals("sync-latency") && !name.equals("sync-throughput")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "unknown benchmark '" + name
          + "' (expected sync-latency, sync-throughput, leave-parse or admin-records)");
    }
    if (name.equals("sync-throughput") && !postgres) {
      throw new CommandLine.ParameterException(new CommandLine(this), "sync-throughput measures PostgreSQL: set DATABASE_URL to a"
          + " PostgreSQL server where a database can be created, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres");
    }
    String fresh = "tandem_bench_" + System.currentTimeMillis();
    DatabaseUrl admin = postgres ? DatabaseUrl.parse(server, work) : null;
    if (postgres) {
      execute(admin, "CREATE DATABASE " + fresh);
    }
    SyncBench.Result result;
    try {
      SyncBench bench = new SyncBench(new WiringHost(), work,
          postgres ? server.replaceFirst("/[^/?]*(\\?|$)", "/" + fresh + "$1") : "sqlite:" + work.resolve("bench.db"));
      result = name.equals("sync-latency") ? bench.latency(messages == null ? 400 : messages)
          : bench.throughput(messages == null ? 12000 : messages);
    } finally {
      if (postgres) {
        execute(admin, "DROP DATABASE IF EXISTS " + fresh + " WITH (FORCE)");
      }
    }
    return print(result);
  }

  private int print(SyncBench.Result result) throws java.io.IOException {
    String json = result.json();
    launch.out().println(json);
    launch.out().flush();
    if (out != null) {
      Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    }
    return 0;
  }

  /** The rule parser's time per message: every case parsed 200 times to warm up, then 50 times measured. */
  private SyncBench.Result leaveParse() throws java.io.IOException {
    if (cases == null) {
      throw new CommandLine.ParameterException(new CommandLine(this), "leave-parse needs --cases FILE (JSON Lines with text and today),"
          + " e.g. the contract's corpus leave-dev.jsonl");
    }
    java.util.List<dev.tandem.leave.parse.LeaveCases.Case> all = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        all.add(dev.tandem.leave.parse.LeaveCases.read(line));
      }
    }
    var parser = new dev.tandem.leave.parse.RuleParser();
    for (int round = 0; round < 200; round++) {
      all.forEach(c -> parser.parse(c.text(), c.today(), c.thread()));
    }
    long[] nanos = new long[all.size() * 50];
    int i = 0;
    for (int round = 0; round < 50; round++) {
      for (var c : all) {
        long started = System.nanoTime();
        parser.parse(c.text(), c.today(), c.thread());
        nanos[i++] = System.nanoTime() - started;
      }
    }
    java.util.Arrays.sort(nanos);
    java.util.Map<String, Object> metrics = new java.util.LinkedHashMap<>();
    metrics.put("p50_ms", Math.round(nanos[nanos.length / 2] / 1e3) / 1e3);
    metrics.put("p99_ms", Math.round(nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e3) / 1e3);
    metrics.put("max_ms", Math.round(nanos[nanos.length - 1] / 1e3) / 1e3);
    java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
    params.put("cases", all.size());
    params.put("measured_parses", nanos.length);
    params.put("cpus", Runtime.getRuntime().availableProcessors());
    return new SyncBench.Result("leave-parse", params, metrics);
  }

  /**
   * The admin with {@code records} leave records of 500 people (one a day each, a tenth failed):
   * each request 20 times to warm up, then 100 times measured, one after another.
   */
  private SyncBench.Result adminRecords(int records) throws Exception {
    Path work = Files.createTempDirectory("tandem-bench-admin-");
    int people = 500;
    Map<String, String> env = Map.of("PORT", "0", "TANDEM_BIND_HOST", "127.0.0.1", "TANDEM_DATA_DIR", work.toString(),
        "DATABASE_URL", "sqlite:" + work.resolve("bench.db"), "TANDEM_LOG_LEVEL", "warn");
    Wiring wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC());
    try (wiring) {
      wiring.migrate();
      // an account before the start, so the first-run banner does not land in the JSON on standard output
      wiring.leave.admins().create("bench@tandem.example", "Bench", dev.tandem.leave.admin.Passwords.generate());
      int port = wiring.start(java.util.EnumSet.of(dev.tandem.core.module.Role.WEB));
      long now = System.currentTimeMillis();
      java.time.LocalDate first = java.time.LocalDate.now().minusDays(records / people / 2);
      wiring.database.jdbi().useTransaction(h -> {
        var person = h.prepareBatch("INSERT INTO leave_person (id, name, email, time_zone, status, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'UTC', 'active', ?, ?)");
        for (int p = 0; p < people; p++) {
          person.add(String.format("p%023d", p), "Person " + p, "person" + p + "@bench.example", now, now);
        }
        person.execute();
        var record = h.prepareBatch("INSERT INTO leave_record (id, person_id, day, type, category, status, request_id, created_at, updated_at,"
            + " calendar_status, harvest_status) VALUES (?, ?, ?, 'full', ?, ?, 'bench', ?, ?, ?, 'done')");
        for (int r = 0; r < records; r++) {
          boolean failed = r % 10 == 0;
          record.add(String.format("r%023d", r), String.format("p%023d", r % people), first.plusDays(r / people).toString(),
              r % 7 == 0 ? "sick" : "vacation", failed ? "failed" : "completed", now, now + r, failed ? "failed" : "done");
        }
        record.execute();
      });
      String token = wiring.leave.adminAuth().createToken("bench", "bench").secret();
      String session = wiring.leave.adminAuth().startSession("bench@tandem.example", "Bench", "password").secret();
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      String mid = first.plusDays(records / people / 2).toString();
      Map<String, String> requests = new java.util.LinkedHashMap<>();
      requests.put("api_list", "/api/leave/records");
      requests.put("api_failed", "/api/leave/records?status=failed");
      requests.put("api_person_range", "/api/leave/records?person=" + String.format("p%023d", 7) + "&from=" + first + "&to=" + mid);
      requests.put("api_last_page", "/api/leave/records?page=" + Math.max(1, records / 50));
      requests.put("page_records", "/admin/records?status=failed");
      requests.put("page_dashboard", "/admin");
      Map<String, Object> metrics = new java.util.LinkedHashMap<>();
      for (var e : requests.entrySet()) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + e.getValue()))
            .header(e.getValue().startsWith("/api") ? "Authorization" : "Cookie", e.getValue().startsWith("/api") ? "Bearer " + token
                : "tandem_session=" + session).build();
        long[] nanos = new long[100];
        for (int i = -20; i < nanos.length; i++) {
          long started = System.nanoTime();
          var answer = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() != 200) {
            throw new IllegalStateException(e.getValue() + " answered " + answer.statusCode() + ": " + answer.body());
          }
          if (i >= 0) {
            nanos[i] = System.nanoTime() - started;
          }
        }
        java.util.Arrays.sort(nanos);
        metrics.put(e.getKey() + "_p50_ms", Math.round(nanos[50] / 1e4) / 1e2);
        metrics.put(e.getKey() + "_p99_ms", Math.round(nanos[98] / 1e4) / 1e2);
      }
      long started = System.nanoTime();
      var csv = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/leave/records.csv"))
          .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      metrics.put("csv_all_ms", Math.round((System.nanoTime() - started) / 1e4) / 1e2);
      metrics.put("csv_lines", csv.body().lines().count());
      Map<String, Object> params = new java.util.LinkedHashMap<>();
      params.put("records", records);
      params.put("people", people);
      params.put("database", "sqlite");
      params.put("cpus", Runtime.getRuntime().availableProcessors());
      return new SyncBench.Result("admin-records", params, metrics);
    }
  }

  private static void execute(DatabaseUrl url, String sql) throws Exception {
    if (url.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException("not PostgreSQL: " + url.jdbcUrl());
    }
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user().orElse(null), url.password().map(p -> p.reveal()).orElse(null));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Tandem in this process, as {@code serve} runs it. */
  private static final class WiringHost implements BenchHost {
    @Override
    public Tandem start(Map<String, String> env) {
      Wiring wiring = new Wiring(Settings.read(new ConfigReader(env, Map.of())), Clock.systemUTC());
      try {
        wiring.start(Wiring.allRoles());
      } catch (RuntimeException e) {
        wiring.close();
        throw e;
      }
      String base = env.get("TANDEM_PUBLIC_URL");
      return new Tandem() {
        @Override
        public String install(String app, String team) throws Exception {
          return DemoWorld.install(base, wiring.slack, app, team);
        }

        @Override
        public SyncTopology topology() {
          return wiring.sync.topology();
        }

        @Override
        public Jdbi jdbi() {
          return wiring.database.jdbi();
        }

        @Override
        public void close() {
          wiring.close();
        }
      };
    }
  }
}
