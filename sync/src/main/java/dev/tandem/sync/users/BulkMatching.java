package dev.tandem.sync.users;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SyncBot's matching for everyone of one workspace against another at once (when a workspace
 * joins a group): the target's people are indexed by email and by normalised real name once, so
 * 5,000 people cost 5,000 lookups rather than 5,000 scans of the directory. Each candidate list
 * is then judged by {@link UserMatching#match}, the same rules as for one person; manual
 * mappings are left alone.
 */
public final class BulkMatching {
  private final UserDirectory directory;
  private final UserMappings mappings;

  public BulkMatching(UserDirectory directory, UserMappings mappings) {
    this.directory = directory;
    this.mappings = mappings;
  }

  /** Matches every person of {@code sourceWorkspaceId} in {@code targetWorkspaceId}; returns how many were found. */
  public int matchAll(String sourceWorkspaceId, String targetWorkspaceId) {
    return match(directory.people(sourceWorkspaceId), targetWorkspaceId);
  }

  /**
   * A newcomer: matches them in {@code otherWorkspaceId}, and matches again the people of that
   * workspace who had no match in the newcomer's workspace (the newcomer may be who they are).
   */
  public int newcomer(Person newcomer, String otherWorkspaceId) {
    int found = match(List.of(newcomer), otherWorkspaceId);
    // everyone there without a match here (a team_join drops the stored misses, so absent counts as unmatched)
    java.util.Set<String> matched = new java.util.HashSet<>(mappings.matched(otherWorkspaceId, newcomer.workspaceId()));
    List<Person> again = directory.people(otherWorkspaceId).stream().filter(p -> !matched.contains(p.userId())).toList();
    return found + match(again, newcomer.workspaceId());
  }

  private int match(List<Person> sources, String targetWorkspaceId) {
    List<Person> targets = directory.people(targetWorkspaceId).stream().filter(p -> !p.bot()).toList();
    Map<String, List<Person>> byEmail = new HashMap<>();
    Map<String, List<Person>> byRealName = new HashMap<>();
    for (Person t : targets) {
      t.email().ifPresent(e -> byEmail.computeIfAbsent(e.strip().toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>()).add(t));
      byRealName.computeIfAbsent(Person.normalize(t.realName()), k -> new java.util.ArrayList<>()).add(t);
    }
    int found = 0;
    for (Person source : sources) {
      if (source.bot()) {
        continue;
      }
      Optional<Person> email = source.email().map(e -> byEmail.getOrDefault(e.strip().toLowerCase(java.util.Locale.ROOT), List.of()))
          .filter(l -> l.size() == 1).map(List::getFirst);
      UserMatching.Match match = UserMatching.match(source, email, byRealName.getOrDefault(Person.normalize(source.realName()), List.of()));
      mappings.recordMatch(source, targetWorkspaceId, match);
      if (match instanceof UserMatching.Match.Found) {
        found++;
      }
    }
    return found;
  }
}
