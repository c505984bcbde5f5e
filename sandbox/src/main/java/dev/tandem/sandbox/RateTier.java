package dev.tandem.sandbox;

/** Slack's Web API rate-limit tiers (calls per minute, per method, per app, per workspace). */
public enum RateTier { TIER_1, TIER_2, TIER_3, TIER_4, SPECIAL }
