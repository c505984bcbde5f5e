/**
 * The Leave app: leave announcements confirmed in Slack and recorded in Google Calendar and Harvest. Its intake, sync and admin arrive with their issues; today it contributes its readiness entry.
 */
package dev.tandem.leave;
