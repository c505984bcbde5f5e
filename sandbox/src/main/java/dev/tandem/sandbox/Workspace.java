package dev.tandem.sandbox;

/** A seeded Slack workspace (team). */
public record Workspace(String teamId, String name, String domain) {}
