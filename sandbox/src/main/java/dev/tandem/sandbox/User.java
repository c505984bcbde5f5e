package dev.tandem.sandbox;

/** A member of a workspace as seeded; bots created by installs have {@code bot} set. */
public record User(String teamId, String id, String name, String realName, String email, boolean admin, boolean bot) {}
