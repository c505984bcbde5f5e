/**
 * The Leave app: leave announcements confirmed in Slack and recorded in Google Calendar and Harvest. It declares its Slack app (scopes, events); its intake, sync and admin arrive with their issues.
 */
package dev.tandem.leave;
