package dev.tandem.core.vault;

import dev.tandem.core.config.ConfigReader;
import dev.tandem.core.config.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where the vault's keys come from: {@code TANDEM_SECRET_KEY} or the key file in the data directory. */
public record VaultSettings(Optional<VaultKey> configuredKey, List<VaultKey> previousKeys, Path keyFile) {

  public static VaultSettings read(ConfigReader config, Path dataDir) {
    Optional<VaultKey> key = config.parse("TANDEM_SECRET_KEY", null,
        "AES-256 key for secrets at rest: 32 bytes in base64 (openssl rand -base64 32). Unset: a key file is generated in the data directory.",
        true, VaultKey::fromBase64);
    List<VaultKey> previous = config.parse("TANDEM_PREVIOUS_SECRET_KEYS", null,
        "Comma-separated older keys (base64) still accepted for decryption while 'tandem keys rotate' re-encrypts under TANDEM_SECRET_KEY.",
        true, VaultSettings::parseList).orElse(List.of());
    Path keyFile = config.path("TANDEM_SECRET_KEY_FILE", dataDir.resolve("secret.key"),
        "Key file: holds the current key when TANDEM_SECRET_KEY is unset (created on first run, owner-only permissions); its keys still open old secrets when it is set.");
    return new VaultSettings(key, previous, keyFile);
  }

  private static List<VaultKey> parseList(String raw) {
    List<VaultKey> keys = new ArrayList<>();
    int i = 0;
    for (String part : raw.split(",")) {
      i++;
      if (part.isBlank()) {
        continue;
      }
      try {
        keys.add(VaultKey.fromBase64(part));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key " + i + " " + e.getMessage());
      }
    }
    return keys;
  }
}
