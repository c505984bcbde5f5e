/**
 * The Sync app's Home tab: what a workspace syncs, and (for admins) how to change it. Every action
 * and view submission is authorised again on the server; the rendering is only a convenience.
 */
package dev.tandem.sync.home;
