/**
 * People across workspaces: each workspace's directory ({@code sync_user}), the matching policy
 * SyncBot uses (email, then a unique display and real name, then a unique real name; manual
 * mappings win) with its freshness per method, and the stored mappings ({@code sync_user_mapping}).
 */
package dev.tandem.sync.users;
