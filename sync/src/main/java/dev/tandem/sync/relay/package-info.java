/**
 * Relaying messages between workspaces. Today: the post map, which ties every copy of a logical
 * post together; the fan-out and delivery jobs arrive with the rest of the sync engine.
 */
package dev.tandem.sync.relay;
