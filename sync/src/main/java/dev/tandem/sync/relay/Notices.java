package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.JobHandler;
import dev.tandem.core.slack.SlackApp;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts a notice from Tandem Sync into a channel (a target was paused, a delivery failed). */
final class Notices implements JobHandler {
  static final String JOB = "sync.notice";
  private static final Logger log = LoggerFactory.getLogger(Notices.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<SlackApp> app;

  Notices(Supplier<SlackApp> app) {
    this.app = app;
  }

  @Override
  public void run(JobContext job) throws Exception {
    JsonNode n = JSON.readTree(job.payload());
    String ws = n.path("workspace").asText();
    String channel = n.path("channel").asText();
    var posted = app.get().calls().call(ws, "chat.postMessage", channel,
        () -> app.get().client(null, ws).chatPostMessage(r -> r.channel(channel).text(n.path("text").asText())));
    if (!posted.isOk()) {
      log.warn("sync: notice to {}/{} refused: {}", ws, channel, posted.getError());
    }
    job.complete(h -> { });
  }
}
