/**
 * The Sync app: cross-workspace channel sync. It declares its Slack app (scopes, events); its engine, Home tab and federation arrive with their issues.
 */
package dev.tandem.sync;
