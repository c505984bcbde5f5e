/**
 * Linking channels: workspaces, groups, syncs and the channels in them, and the question the
 * message path asks of them (which channels a message in this one goes to).
 */
package dev.tandem.sync.link;
