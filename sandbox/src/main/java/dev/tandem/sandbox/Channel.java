package dev.tandem.sandbox;

import java.util.List;

/** A conversation: public or private channel, or a DM ({@code im}). Members as seeded. */
public record Channel(String teamId, String id, String name, boolean isPrivate, boolean im, List<String> members) {
  public Channel {
    members = List.copyOf(members);
  }
}
