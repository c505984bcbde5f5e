package dev.tandem.sandbox;

/**
 * What Slack's app config page shows for a registered app: its credentials. {@code verificationToken} is the
 * legacy {@code token} field Slack still puts in event envelopes and interactivity payloads.
 */
public record AppRegistration(
    String appId, String clientId, String clientSecret, String signingSecret, String appToken, String verificationToken) {}
