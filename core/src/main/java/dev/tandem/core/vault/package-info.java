/**
 * The token vault: AES-256-GCM sealing of secrets at rest with the key id beside each ciphertext, the key ring (configured key or generated key file), and key rotation across every registered encrypted column.
 */
package dev.tandem.core.vault;
