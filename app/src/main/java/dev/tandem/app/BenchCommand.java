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
            + " after a warm-up; time per message."})
final class BenchCommand implements Callable<Integer> {
  private final Launch launch;

  @Parameters(index = "0", paramLabel = "NAME", description = "sync-latency, sync-throughput or leave-parse")
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
    Path work = Files.createTempDirectory("tandem-bench-");
    String server = launch.config().peek("DATABASE_URL").orElse("");
    boolean postgres = server.startsWith("postgres");
    if (!name.equals("sync-latency") && !name.equals("sync-throughput")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "unknown benchmark '" + name
          + "' (expected sync-latency, sync-throughput or leave-parse)");
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
