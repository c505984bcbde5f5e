package dev.tandem.sync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest.FileDetails;
import com.slack.api.model.File;
import dev.tandem.core.faults.FaultPoints;
import dev.tandem.core.jobs.JobContext;
import dev.tandem.core.jobs.RetryLater;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.sync.SyncSettings;
import dev.tandem.sync.relay.Deliveries.Delivery;
import dev.tandem.sync.relay.Deliveries.Status;
import dev.tandem.sync.relay.PostMap.Copy;
import dev.tandem.sync.relay.PostMap.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Copies the files of a message into the target, as a reply under its copy that says who shared
 * them (a file upload cannot carry the author's name and icon). Each file is streamed from the
 * source's {@code url_private_download} straight into the target's upload URL with its declared
 * length: nothing is held in memory or on disk. Files over the size cap, and files Slack does not
 * let us download, are named in the reply instead.
 *
 * <p>Uploads cannot carry metadata, so the ids of the uploaded files are stored before
 * {@code files.completeUploadExternal}; a retry asks {@code files.info} whether that completion
 * happened and where the files were shared, instead of uploading twice.
 */
final class Files {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PostMap posts;
  private final Deliveries deliveries;
  private final SyncSettings settings;
  private final Supplier<SlackApp> app;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  Files(PostMap posts, Deliveries deliveries, SyncSettings settings, Supplier<SlackApp> app) {
    this.posts = posts;
    this.deliveries = deliveries;
    this.settings = settings;
    this.app = app;
  }

  void deliver(JobContext job, Delivery d, Deliverer deliverer) throws Exception {
    Optional<Copy> copy = deliverer.waitForCopy(job, d, d.postId());
    if (copy.isEmpty()) {
      deliverer.end(job, d, Status.SKIPPED, Optional.empty(), Optional.of("the message was not copied to this channel"));
      return;
    }
    MethodsClient target = deliverer.client(d.targetWorkspaceId());
    if (d.fileIds().isPresent()) {
      List<String> uploaded = new ArrayList<>();
      JSON.readTree(d.fileIds().get()).forEach(n -> uploaded.add(n.asText()));
      var info = deliverer.call(d, "files.info", () -> target.filesInfo(r -> r.file(uploaded.getFirst())));
      if (info.isOk()) {
        shared(job, d, deliverer, info.getFile(), copy.get());
        return;
      }
      if (!"file_not_found".equals(info.getError())) {
        deliverer.refused(job, d, info.getError());
        return;
      }
      // not completed: the earlier attempt stopped between upload and completion; start over
    }
    JsonNode message = deliverer.sourceEvent(d.eventId());
    String sourceToken = app.get().installations().find(null, d.sourceWorkspaceId()).map(Installation::botToken)
        .orElseThrow(() -> new Deliverer.NotInstalled(d.sourceWorkspaceId()));
    List<FileDetails> done = new ArrayList<>();
    List<String> notCopied = new ArrayList<>();
    int n = 0;
    for (JsonNode f : message.path("files")) {
      if (n++ >= SyncSettings.MAX_FILES_PER_MESSAGE) {
        notCopied.add(f.path("name").asText("file") + " (more than " + SyncSettings.MAX_FILES_PER_MESSAGE + " files)");
        continue;
      }
      long size = f.path("size").asLong(-1);
      String url = f.path("url_private_download").asText(f.path("url_private").asText(""));
      String name = f.path("name").asText(f.path("title").asText("file"));
      if (url.isEmpty() || size < 0 || !"hosted".equals(f.path("mode").asText("hosted"))) {
        notCopied.add(name + " (not downloadable)");
      } else if (size > settings.fileMaxBytes()) {
        notCopied.add(name + " (" + (size >> 20) + " MiB, over the " + (settings.fileMaxBytes() >> 20) + " MiB limit)");
      } else {
        var slot = deliverer.call(d, "files.getUploadURLExternal", () -> target.filesGetUploadURLExternal(r -> r.filename(name)
            .length((int) size)));
        if (!slot.isOk()) {
          deliverer.refused(job, d, slot.getError());
          return;
        }
        stream(url, sourceToken, slot.getUploadUrl(), size);
        done.add(new FileDetails(slot.getFileId(), f.path("title").asText(name)));
      }
    }
    String who = "Shared by " + deliverer.author(d, message).name();
    String comment = notCopied.isEmpty() ? who : who + "\nNot copied: " + String.join(", ", notCopied);
    if (done.isEmpty()) {
      var note = deliverer.call(d, "chat.postMessage", () -> target.chatPostMessage(r -> r.channel(d.targetChannelId())
          .threadTs(copy.get().ts()).text(comment)));
      if (!note.isOk()) {
        deliverer.refused(job, d, note.getError());
        return;
      }
      record(job, d, deliverer, note.getTs(), copy.get());
      return;
    }
    ArrayNode ids = JSON.createArrayNode();
    done.forEach(f -> ids.add(f.getId()));
    deliveries.fileIds(d.id(), ids.toString());
    var completed = deliverer.call(d, "files.completeUploadExternal", () -> {
      var answer = target.filesCompleteUploadExternal(r -> r.files(done)
          .channelId(d.targetChannelId()).threadTs(copy.get().ts()).initialComment(comment));
      FaultPoints.reached("sync.after_upload");
      return answer;
    });
    if (!completed.isOk()) {
      deliverer.refused(job, d, completed.getError());
      return;
    }
    throw RetryLater.waiting(Duration.ofMillis(100), "files completed; Slack shares them shortly");
  }

  /** The completed upload's share in the target channel is the file reply; until Slack shares it, wait. */
  private void shared(JobContext job, Delivery d, Deliverer deliverer, File file, Copy copy) throws Exception {
    File.Shares shares = file.getShares();
    Map<String, List<File.ShareDetail>> where = new java.util.HashMap<>();
    if (shares != null && shares.getPublicChannels() != null) {
      where.putAll(shares.getPublicChannels());
    }
    if (shares != null && shares.getPrivateChannels() != null) {
      where.putAll(shares.getPrivateChannels());
    }
    List<File.ShareDetail> here = where.getOrDefault(d.targetChannelId(), List.of());
    if (here.isEmpty()) {
      throw RetryLater.waiting(Duration.ofMillis(200), "file " + file.getId() + " is not shared in " + d.targetChannelId() + " yet");
    }
    record(job, d, deliverer, here.getFirst().getTs(), copy);
  }

  private void record(JobContext job, Delivery d, Deliverer deliverer, String ts, Copy copy) {
    job.complete(h -> {
      posts.recordCopy(h, new Copy(d.postId(), d.targetWorkspaceId(), d.targetChannelId(), ts, Kind.FILE_REPLY, Optional.of(copy.ts())));
      deliveries.finish(h, d.id(), Status.DONE, Optional.of(ts), Optional.empty());
    });
    deliverer.counted(d, Status.DONE);
  }

  /** Source download → target upload, one stream, with the declared length. */
  private void stream(String from, String token, String to, long size) throws IOException, InterruptedException {
    HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(from)).timeout(Duration.ofMinutes(5))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = download.body()) {
      String type = download.headers().firstValue("Content-Type").orElse("");
      if (download.statusCode() != 200 || type.startsWith("text/html")) {
        throw new IOException("download of " + from + " answered " + download.statusCode() + " " + type + " (not the file)");
      }
      HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(to)).timeout(Duration.ofMinutes(5))
          .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), size)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (up.statusCode() != 200) {
        throw new IOException("upload to Slack answered " + up.statusCode() + ": " + up.body());
      }
    }
  }
}
