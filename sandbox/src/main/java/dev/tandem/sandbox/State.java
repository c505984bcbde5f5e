package dev.tandem.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * All mutable sandbox state. Callers hold the monitor of this object ({@code synchronized (state)}) for every
 * read and write; nothing here does I/O.
 */
final class State {
  final Map<String, Team> teams = new LinkedHashMap<>();
  final Map<String, App> apps = new LinkedHashMap<>();
  final Map<String, Token> tokens = new HashMap<>();
  final Map<String, FileObj> files = new LinkedHashMap<>();
  final Map<String, View> views = new HashMap<>();
  final Map<String, Trigger> triggers = new HashMap<>();
  final Map<String, OAuthCode> codes = new HashMap<>();
  final Map<String, ResponseUrl> responseUrls = new HashMap<>();

  enum TokenKind { BOT, USER, APP }

  record Token(TokenKind kind, String teamId, String appId, String userId) {}

  record Trigger(String teamId, String appId, String userId, long expiresAtMillis) {}

  record OAuthCode(String appId, String teamId, String userId, String redirectUri, long expiresAtMillis) {}

  record ResponseUrl(String teamId, String appId, String channel, String messageTs, String userId) {}

  static final class Team {
    final String id;
    final String name;
    final String domain;
    final Map<String, Person> users = new LinkedHashMap<>();
    final Map<String, Conv> convs = new LinkedHashMap<>();
    final Map<String, Install> installs = new LinkedHashMap<>();
    /** Custom emoji names this workspace has (standard emoji are valid everywhere). */
    final java.util.Set<String> customEmoji = new java.util.LinkedHashSet<>();

    Team(String id, String name, String domain) {
      this.id = id;
      this.name = name;
      this.domain = domain;
    }

    Optional<Person> userByIdOrName(String key) {
      Person p = users.get(key);
      if (p != null) return Optional.of(p);
      String n = key.startsWith("@") ? key.substring(1) : key;
      return users.values().stream().filter(u -> u.name.equals(n)).findFirst();
    }

    Optional<Conv> convByIdOrName(String key) {
      Conv c = convs.get(key);
      if (c != null) return Optional.of(c);
      String n = key.startsWith("#") ? key.substring(1) : key;
      return convs.values().stream().filter(x -> !x.im && x.name.equals(n)).findFirst();
    }

    Optional<Install> installByBotUser(String userId) {
      return installs.values().stream().filter(i -> i.botUserId.equals(userId)).findFirst();
    }
  }

  static final class Person {
    final String id;
    final String teamId;
    String name;
    String realName;
    String email;
    boolean admin;
    boolean bot;
    String botId;
    String appId;
    boolean deleted;
    String title = "";
    String tz = "Europe/London";
    String tzLabel = "British Summer Time";
    int tzOffset = 3600;
    String color;
    String avatarHash;
    long updated;

    Person(String id, String teamId) {
      this.id = id;
      this.teamId = teamId;
    }
  }

  static final class Conv {
    final String id;
    final String teamId;
    String name;
    final boolean isPrivate;
    final boolean im;
    final String imUser;
    final long created;
    final String creator;
    boolean archived;
    boolean general;
    String purpose = "";
    final Set<String> members = new LinkedHashSet<>();
    /** Every message, replies included, by ts. */
    final TreeMap<String, Map<String, Object>> messages = new TreeMap<>();
    long lastTsMicros;
    double bucket = -1;
    long bucketAtNanos;

    Conv(String id, String teamId, String name, boolean isPrivate, boolean im, String imUser, long created,
        String creator) {
      this.id = id;
      this.teamId = teamId;
      this.name = name;
      this.isPrivate = isPrivate;
      this.im = im;
      this.imUser = imUser;
      this.created = created;
      this.creator = creator;
    }

    String channelType() {
      return im ? "im" : isPrivate ? "group" : "channel";
    }
  }

  static final class App {
    final AppSpec spec;
    final AppRegistration reg;
    final long created;

    App(AppSpec spec, AppRegistration reg, long created) {
      this.spec = spec;
      this.reg = reg;
      this.created = created;
    }
  }

  static final class Install {
    final String appId;
    final String teamId;
    final String botUserId;
    final String botId;
    String botToken;
    final List<String> scopes;
    final String botName;
    final long updated;
    boolean revoked;
    final Map<String, String> homeViewByUser = new HashMap<>();

    Install(String appId, String teamId, String botUserId, String botId, String botToken, List<String> scopes,
        String botName, long updated) {
      this.appId = appId;
      this.teamId = teamId;
      this.botUserId = botUserId;
      this.botId = botId;
      this.botToken = botToken;
      this.scopes = new ArrayList<>(scopes);
      this.botName = botName;
      this.updated = updated;
    }
  }

  static final class FileObj {
    final String id;
    final String teamId;
    final String userId;
    final String name;
    final long declaredLength;
    final long created;
    String title;
    byte[] content;
    boolean completed;
    String mimetype = "application/octet-stream";
    /** channel id -> share entries ({ts, channel_name, team_id, reply counters}). */
    final Map<String, List<Map<String, Object>>> shares = new LinkedHashMap<>();

    FileObj(String id, String teamId, String userId, String name, long declaredLength, long created) {
      this.id = id;
      this.teamId = teamId;
      this.userId = userId;
      this.name = name;
      this.title = name;
      this.declaredLength = declaredLength;
      this.created = created;
    }
  }

  static final class View {
    final String id;
    final String teamId;
    final String appId;
    final String userId;
    final String type;
    Map<String, Object> body;
    String hash;
    String rootViewId;
    String previousViewId;
    String externalId = "";
    boolean closed;

    View(String id, String teamId, String appId, String userId, String type) {
      this.id = id;
      this.teamId = teamId;
      this.appId = appId;
      this.userId = userId;
      this.type = type;
    }
  }

  Team team(String teamId) {
    Team t = teams.get(teamId);
    if (t == null) {
      t = teams.values().stream().filter(x -> x.name.equals(teamId) || x.domain.equals(teamId)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown team: " + teamId));
    }
    return t;
  }
}
