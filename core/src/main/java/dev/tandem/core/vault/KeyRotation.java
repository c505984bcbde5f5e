package dev.tandem.core.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts every sealed value under the current key ({@code tandem keys rotate}).
 *
 * <p>In key-file mode a new key is generated and written to the file (beside the old ones) before
 * anything is re-encrypted, so a crash at any point leaves every value openable; the old keys are
 * removed from the file only once no value is sealed under them. With {@code TANDEM_SECRET_KEY},
 * the operator sets the new key there and the old one in {@code TANDEM_PREVIOUS_SECRET_KEYS}.
 * Each row is rewritten with compare-and-set, so a concurrent writer is never overwritten.
 */
public final class KeyRotation {
  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

  private final Jdbi jdbi;
  private final TokenVault vault;
  private final List<EncryptedColumn> columns;

  public KeyRotation(Jdbi jdbi, TokenVault vault, List<EncryptedColumn> columns) {
    this.jdbi = jdbi;
    this.vault = vault;
    this.columns = List.copyOf(columns);
  }

  /** What a rotation did. */
  public record Result(String currentKeyId, int reencrypted, List<String> retiredKeyIds) {}

  public Result rotate(SecureRandom random) {
    Optional<Path> keyFile = vault.keys().keyFile();
    if (keyFile.isEmpty()) {
      return rotateLocked(random);
    }
    // One rotation of a key file at a time, also across processes.
    Path lockFile = Path.of(keyFile.get() + ".lock");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return rotateLocked(random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile + " for key rotation", e);
    }
  }

  private Result rotateLocked(SecureRandom random) {
    if (vault.keys().keyFile().isPresent()) {
      vault.useKeys(vault.keys().withNewFileKey(random));
      log.info("key={} - new current key written to {}", vault.keys().current().id(), vault.keys().keyFile().get());
    }
    String current = vault.keys().current().id();
    int count = 0;
    for (EncryptedColumn column : columns) {
      count += reencrypt(column, current);
    }
    Map<String, Integer> left = usage();
    left.remove(current);
    if (!left.isEmpty()) {
      throw new VaultException("after re-encryption values are still sealed under key ids " + left.keySet() + "; run keys rotate again");
    }
    List<String> retired = vault.keys().all().stream().map(VaultKey::id).filter(id -> !id.equals(current)).toList();
    vault.useKeys(vault.keys().retireOldKeys());
    return new Result(current, count, retired);
  }

  /** How many sealed values each key id seals, across every registered column. */
  public Map<String, Integer> usage() {
    Map<String, Integer> counts = new TreeMap<>();
    for (EncryptedColumn column : columns) {
      jdbi.useHandle(h -> h.createQuery("SELECT " + column.column() + " FROM " + column.table()
              + " WHERE " + column.column() + " IS NOT NULL")
          .mapTo(String.class)
          .forEach(sealed -> counts.merge(TokenVault.keyIdOf(sealed), 1, Integer::sum)));
    }
    return counts;
  }

  /** Fails when some value is sealed under a key that is not configured: checked at start-up. */
  public void checkAllKeysPresent() {
    for (String id : usage().keySet()) {
      if (vault.keys().find(id).isEmpty()) {
        throw new VaultException("stored secrets are sealed with key id " + id + ", which is not configured (current key id "
            + vault.keys().current().id() + "): set TANDEM_SECRET_KEY to that key or list it in TANDEM_PREVIOUS_SECRET_KEYS");
      }
    }
  }

  private int reencrypt(EncryptedColumn c, String currentId) {
    String select = "SELECT " + c.idColumn() + " AS id, " + c.column() + " AS sealed FROM " + c.table()
        + " WHERE " + c.column() + " IS NOT NULL";
    String update = "UPDATE " + c.table() + " SET " + c.column() + " = :next WHERE " + c.idColumn() + " = :id AND "
        + c.column() + " = :previous";
    List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery(select).mapToMap().list());
    int count = 0;
    for (Map<String, Object> row : rows) {
      String sealed = (String) row.get("sealed");
      if (TokenVault.keyIdOf(sealed).equals(currentId)) {
        continue;
      }
      String next = vault.seal(vault.open(sealed, c.context()), c.context());
      Object id = row.get("id");
      count += jdbi.withHandle(h -> h.createUpdate(update).bind("next", next).bind("id", id).bind("previous", sealed).execute());
    }
    return count;
  }
}
