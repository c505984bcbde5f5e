package dev.tandem.sync.users;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.methods.response.users.UsersListResponse;
import com.slack.api.methods.response.users.UsersLookupByEmailResponse;
import com.slack.api.model.User;
import dev.tandem.core.slack.SlackCalls;
import dev.tandem.sync.users.UserMappings.Mapping;
import dev.tandem.sync.users.UserMatching.Match;
import dev.tandem.sync.users.UserMatching.Method;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * People as the message path needs them: who wrote a message (the directory, else one
 * {@code users.info}), and who they are in another workspace (a stored mapping while it is fresh,
 * else SyncBot's matching against the target's directory; {@code users.lookupByEmail} only when
 * that directory has not been crawled yet).
 */
public final class People {
  private final UserDirectory directory;
  private final UserMappings mappings;
  private final Supplier<SlackCalls> calls;
  private final Clock clock;
  /**
   * People and their counterparts as the message path last saw them: a busy channel's author is
   * looked up once per half minute, not once per copy. Changes through {@link #changed} apply at once.
   */
  private final Cache<String, Optional<Person>> persons = Caffeine.newBuilder().maximumSize(20_000)
      .expireAfterWrite(Duration.ofSeconds(30)).build();
  private final Cache<String, Optional<Person>> counterparts = Caffeine.newBuilder().maximumSize(50_000)
      .expireAfterWrite(Duration.ofSeconds(30)).build();

  public People(UserDirectory directory, UserMappings mappings, Supplier<SlackCalls> calls, Clock clock) {
    this.directory = directory;
    this.mappings = mappings;
    this.calls = calls;
    this.clock = clock;
  }

  public UserDirectory directory() {
    return directory;
  }

  /** The person behind {@code userId} in {@code workspaceId}; asks Slack once when the directory lacks them. */
  public Optional<Person> person(String workspaceId, String userId, Supplier<MethodsClient> client) throws Exception {
    String key = workspaceId + "/" + userId;
    Optional<Person> cached = persons.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Optional<Person> found = lookUp(workspaceId, userId, client);
    found.ifPresent(p -> persons.put(key, found)); // a miss is asked again next time
    return found;
  }

  private Optional<Person> lookUp(String workspaceId, String userId, Supplier<MethodsClient> client) throws Exception {
    Optional<Person> known = directory.find(workspaceId, userId);
    if (known.isPresent()) {
      return known;
    }
    UsersInfoResponse info = calls.get().call(workspaceId, "users.info", null, () -> client.get().usersInfo(r -> r.user(userId)));
    if (!info.isOk() || info.getUser() == null) {
      return Optional.empty();
    }
    Person p = fromSlack(workspaceId, info.getUser());
    directory.upsert(p);
    return Optional.of(p);
  }

  /**
   * Who {@code source} is in {@code targetWorkspaceId}: a manual mapping always, an automatic one
   * while fresh; otherwise matched now and stored (also when nobody matches, so misses are cheap).
   */
  public Optional<Person> counterpart(Person source, String targetWorkspaceId, Supplier<MethodsClient> targetClient) throws Exception {
    if (source.bot()) {
      return Optional.empty();
    }
    String key = source.workspaceId() + "/" + source.userId() + "/" + targetWorkspaceId;
    Optional<Person> cached = counterparts.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Optional<Person> found = match(source, targetWorkspaceId, targetClient);
    counterparts.put(key, found);
    return found;
  }

  private Optional<Person> match(Person source, String targetWorkspaceId, Supplier<MethodsClient> targetClient) throws Exception {
    Optional<Mapping> stored = mappings.find(source.workspaceId(), source.userId(), targetWorkspaceId);
    if (stored.isPresent() && !stored.get().method().stale(stored.get().matchedAt(), clock.instant())) {
      return stored.get().targetUserId().flatMap(id -> directory.find(targetWorkspaceId, id));
    }
    Optional<Person> byEmail = source.email().flatMap(e -> directory.byEmail(targetWorkspaceId, e));
    var everyone = directory.people(targetWorkspaceId);
    if (byEmail.isEmpty() && everyone.isEmpty() && source.email().isPresent()) {
      UsersLookupByEmailResponse found = calls.get().call(targetWorkspaceId, "users.lookupByEmail", null,
          () -> targetClient.get().usersLookupByEmail(r -> r.email(source.email().get())));
      if (found.isOk() && found.getUser() != null) {
        Person p = fromSlack(targetWorkspaceId, found.getUser());
        directory.upsert(p);
        byEmail = Optional.of(p);
      }
    }
    Match match = UserMatching.match(source, byEmail, everyone);
    boolean directoryKnown = !everyone.isEmpty();
    if ((directoryKnown || match instanceof Match.Found) && (stored.isEmpty() || stored.get().method() != Method.MANUAL)) {
      // a miss against a directory not crawled yet is not remembered: it would hide the match for 90 days
      mappings.recordMatch(source, targetWorkspaceId, match);
    }
    return match instanceof Match.Found found ? Optional.of(found.target()) : Optional.empty();
  }

  /** Reads the whole directory of a workspace with {@code users.list}, 200 per page; returns how many people it holds. */
  public int crawl(String workspaceId, MethodsClient client) throws Exception {
    String cursor = "";
    int seen = 0;
    do {
      String page = cursor;
      UsersListResponse list = calls.get().call(workspaceId, "users.list", null, () -> client.usersList(r -> r.limit(200).cursor(page)));
      if (!list.isOk()) {
        throw new IllegalStateException("users.list in " + workspaceId + " answered " + list.getError());
      }
      for (User u : list.getMembers()) {
        if (u.isDeleted()) {
          directory.remove(workspaceId, u.getId());
          mappings.forget(workspaceId, u.getId());
        } else if (!"USLACKBOT".equals(u.getId())) {
          directory.upsert(fromSlack(workspaceId, u));
          seen++;
        }
      }
      cursor = list.getResponseMetadata() == null ? "" : list.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isEmpty());
    return seen;
  }

  /**
   * A person joined or changed their profile: refresh them, and let their automatic mappings (as
   * source or target) be matched again on next use. Manual mappings stay.
   */
  public void changed(String workspaceId, User user) {
    if (user.isDeleted()) {
      directory.remove(workspaceId, user.getId());
    } else {
      directory.upsert(fromSlack(workspaceId, user));
    }
    mappings.forget(workspaceId, user.getId());
    persons.invalidateAll();
    counterparts.invalidateAll();
  }

  public static Person fromSlack(String workspaceId, User u) {
    User.Profile p = u.getProfile();
    String avatar = p == null ? null : p.getImage192() != null ? p.getImage192() : p.getImage72();
    return new Person(workspaceId, u.getId(), Optional.ofNullable(p == null ? null : p.getEmail()).filter(e -> !e.isBlank()),
        p != null && p.getRealName() != null ? p.getRealName() : u.getRealName(), p == null ? null : p.getDisplayName(),
        Optional.ofNullable(avatar), u.isBot() || "USLACKBOT".equals(u.getId()));
  }
}
