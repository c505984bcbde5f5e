package dev.tandem.leave.web;

import com.slack.api.methods.response.conversations.ConversationsMembersResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import dev.tandem.core.slack.Installation;
import dev.tandem.core.slack.SlackApp;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.people.LeavePeople;
import dev.tandem.leave.steps.LeaveSteps;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the members of the leave channels as people (conversations.members, then users.info for
 * each; bots and deactivated users skipped), then maps everyone without a Harvest user to one by email.
 */
public final class PeopleImport {
  private static final Logger log = LoggerFactory.getLogger(PeopleImport.class);
  private final Jdbi jdbi;
  private final LeaveConfig config;
  private final LeavePeople people;
  private final LeaveSteps steps;
  private final Supplier<Optional<SlackApp>> slack;
  private final AuditLog audit;

  /** What an import did. */
  public record Summary(int channels, int members, int added, int updated, int unchanged, int skipped, int harvestMapped,
      List<String> harvestUnmatched, List<String> errors) {
    public String describe() {
      return added + " added, " + updated + " updated, " + unchanged + " unchanged, " + skipped + " skipped (bots, deactivated), "
          + harvestMapped + " mapped to Harvest" + (harvestUnmatched.isEmpty() ? "" : ", " + harvestUnmatched.size() + " without a Harvest user")
          + (errors.isEmpty() ? "" : "; " + errors.size() + " problem(s): " + String.join("; ", errors));
    }
  }

  public PeopleImport(Jdbi jdbi, LeaveConfig config, LeavePeople people, LeaveSteps steps, Supplier<Optional<SlackApp>> slack, AuditLog audit) {
    this.jdbi = jdbi;
    this.config = config;
    this.people = people;
    this.steps = steps;
    this.slack = slack;
    this.audit = audit;
  }

  public Summary run(String by) {
    SlackApp app = slack.get().orElseThrow(() -> new AdminException(409, "slack_not_configured",
        "the Leave Slack app is not configured (SLACK_LEAVE_*), so there are no channel members to import"));
    LeaveConfig.Current cfg = config.current();
    if (cfg.channels().isEmpty()) {
      throw new AdminException(409, "no_leave_channels", "there are no leave channels to import from: add them in Settings first");
    }
    List<Installation> installs = app.installations().all().stream().filter(i -> i.revokedAt().isEmpty() && i.teamId().isPresent()).toList();
    List<String> errors = new ArrayList<>();
    int members = 0;
    int added = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0;
    int channelsRead = 0;
    Set<String> seen = new LinkedHashSet<>();
    for (String channel : new java.util.TreeSet<>(cfg.channels())) {
      boolean found = false;
      for (Installation install : installs) {
        String team = install.teamId().orElseThrow();
        List<String> users;
        try {
          users = members(app, team, channel);
        } catch (ChannelProblem e) {
          if (!"channel_not_found".equals(e.getMessage())) {
            found = true;
            errors.add("channel " + channel + " in " + install.teamName().orElse(team) + ": " + e.getMessage()
                + ("not_in_channel".equals(e.getMessage()) ? " (invite the Leave app to it)" : ""));
          }
          continue;
        } catch (Exception e) {
          found = true;
          errors.add("channel " + channel + " in " + install.teamName().orElse(team) + ": " + e.getMessage());
          continue;
        }
        found = true;
        channelsRead++;
        for (String user : users) {
          if (!seen.add(team + "/" + user)) {
            continue;
          }
          members++;
          try {
            UsersInfoResponse info = app.calls().call(team, "users.info", null, () -> app.client(null, team).usersInfo(r -> r.user(user)));
            if (!info.isOk() || info.getUser() == null) {
              errors.add("users.info for " + user + " in " + install.teamName().orElse(team) + " answered " + info.getError());
              continue;
            }
            var u = info.getUser();
            if (u.isBot() || u.isDeleted() || "USLACKBOT".equals(u.getId()) || u.isAppUser()) {
              skipped++;
              continue;
            }
            LeavePeople.Profile profile = LeavePeople.profileOf(u);
            Optional<LeavePeople.Person> known = people.bySlackUser(team, user);
            if (known.isPresent()) {
              if (people.refresh(known.get().id(), profile)) {
                updated++;
              } else {
                unchanged++;
              }
            } else {
              people.register(team, user, profile, cfg.defaultZone());
              added++;
            }
          } catch (Exception e) {
            errors.add("users.info for " + user + ": " + e.getMessage());
          }
        }
      }
      if (!found) {
        errors.add("channel " + channel + " is in no workspace where the Leave app is installed");
      }
    }
    int mapped = 0;
    List<String> unmatched = new ArrayList<>();
    try {
      Optional<Map<String, Long>> harvest = steps.harvestUsers();
      if (harvest.isPresent()) {
        List<Map.Entry<String, String>> unmapped = jdbi.withHandle(h -> h.createQuery("SELECT id, email FROM leave_person"
                + " WHERE harvest_user_id IS NULL AND email IS NOT NULL AND status = 'active' ORDER BY email")
            .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list());
        for (var p : unmapped) {
          Long id = harvest.get().get(p.getValue().toLowerCase(java.util.Locale.ROOT));
          if (id != null) {
            people.setHarvestUserId(p.getKey(), id);
            mapped++;
          } else {
            unmatched.add(p.getValue());
          }
        }
      }
    } catch (IllegalStateException e) {
      errors.add(e.getMessage());
    }
    Summary summary = new Summary(channelsRead, members, added, updated, unchanged, skipped, mapped, List.copyOf(unmatched), List.copyOf(errors));
    log.info("leave admin: people imported by {}: {}", by, summary.describe());
    audit.record(by, "people.import", cfg.channels().size() + " leave channel(s)", summary.describe());
    return summary;
  }

  /** The names of the workspaces the Leave app is installed in, by team id (empty without the app). */
  public Map<String, String> workspaceNames() {
    Map<String, String> names = new java.util.HashMap<>();
    slack.get().ifPresent(app -> app.installations().all().forEach(i -> i.teamId().ifPresent(t -> names.put(t, i.teamName().orElse(t)))));
    return names;
  }

  private static List<String> members(SlackApp app, String team, String channel) throws Exception {
    List<String> users = new ArrayList<>();
    String cursor = null;
    do {
      String c = cursor;
      ConversationsMembersResponse page = app.calls().call(team, "conversations.members", channel,
          () -> app.client(null, team).conversationsMembers(r -> r.channel(channel).limit(200).cursor(c)));
      if (!page.isOk()) {
        throw new ChannelProblem(page.getError());
      }
      users.addAll(page.getMembers());
      cursor = page.getResponseMetadata() == null ? null : page.getResponseMetadata().getNextCursor();
    } while (cursor != null && !cursor.isBlank());
    return users;
  }

  private static final class ChannelProblem extends Exception {
    ChannelProblem(String error) {
      super(error);
    }
  }
}
