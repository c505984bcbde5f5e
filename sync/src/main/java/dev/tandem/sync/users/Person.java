package dev.tandem.sync.users;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/** One person (or bot) of one workspace, as the directory knows them. */
public record Person(
    String workspaceId, String userId, Optional<String> email, String realName, String displayName, Optional<String> avatarUrl,
    boolean bot) {

  public Person {
    realName = realName == null ? "" : realName;
    displayName = displayName == null ? "" : displayName;
  }

  /** The name a copy of their message shows: display name, else real name, else the id. */
  public String shownName() {
    return !displayName.isBlank() ? displayName : !realName.isBlank() ? realName : userId;
  }

  /** Names compared case- and accent-insensitively, with runs of spaces collapsed. */
  public static String normalize(String name) {
    if (name == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    return decomposed.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
