package dev.tandem.bench;

import dev.tandem.sync.link.SyncTopology;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** What a benchmark needs from the application: a Tandem it can start with given settings. */
public interface BenchHost {
  /** Starts Tandem with every role, configured by {@code env} as if read from the environment. */
  Tandem start(Map<String, String> env) throws Exception;

  /** A running Tandem. */
  interface Tandem extends AutoCloseable {
    /** Installs an app into a workspace through the OAuth flow, as a person would; returns the bot user id. */
    String install(String app, String team) throws Exception;

    SyncTopology topology();

    /** Its database, to follow progress without scanning Slack. */
    Jdbi jdbi();

    @Override
    void close();
  }
}
