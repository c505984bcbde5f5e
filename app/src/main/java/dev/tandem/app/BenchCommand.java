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
            + " PostgreSQL server of DATABASE_URL."})
final class BenchCommand implements Callable<Integer> {
  private final Launch launch;

  @Parameters(index = "0", paramLabel = "NAME", description = "sync-latency or sync-throughput")
  String name;

  @Option(names = "--messages", paramLabel = "N", description = "Messages to send (default: 400 for sync-latency, 12000 for sync-throughput).")
  Integer messages;

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON result to FILE.")
  Path out;

  BenchCommand(Launch launch) {
    this.launch = launch;
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("tandem-bench-");
    String server = launch.config().peek("DATABASE_URL").orElse("");
    boolean postgres = server.startsWith("postgres");
    if (!name.equals("sync-latency") && !name.equals("sync-throughput")) {
      throw new CommandLine.ParameterException(new CommandLine(this), "unknown benchmark '" + name
          + "' (expected sync-latency or sync-throughput)");
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
    String json = result.json();
    launch.out().println(json);
    launch.out().flush();
    if (out != null) {
      Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    }
    return 0;
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
