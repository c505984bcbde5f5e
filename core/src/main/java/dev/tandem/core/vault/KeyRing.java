package dev.tandem.core.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's keys: one current key that seals new secrets, and older keys that still open
 * what they sealed until {@code tandem keys rotate} has re-encrypted it.
 *
 * <p>With {@code TANDEM_SECRET_KEY} set, that key is current and the operator supplies older ones
 * in {@code TANDEM_PREVIOUS_SECRET_KEYS}. Without it the keys live in a key file (one base64 key
 * per line, current first), created with owner-only permissions on first run.
 */
public final class KeyRing {
  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

  private final VaultKey current;
  private final Map<String, VaultKey> keys;
  private final Optional<Path> keyFile;
  private final List<VaultKey> extra;
  private final String fileStamp;

  private KeyRing(VaultKey current, Collection<VaultKey> others, Optional<Path> keyFile) {
    this(current, others, keyFile, List.of());
  }

  private KeyRing(VaultKey current, Collection<VaultKey> others, Optional<Path> keyFile, List<VaultKey> extra) {
    this.current = current;
    this.keys = new LinkedHashMap<>();
    keys.put(current.id(), current);
    others.forEach(k -> keys.putIfAbsent(k.id(), k));
    extra.forEach(k -> keys.putIfAbsent(k.id(), k));
    this.keyFile = keyFile;
    this.extra = List.copyOf(extra);
    this.fileStamp = keyFile.map(KeyRing::stamp).orElse("");
  }

  public static KeyRing of(VaultKey current, VaultKey... previous) {
    return new KeyRing(current, List.of(previous), Optional.empty());
  }

  /** Loads the keys, generating the key file on first run when no key is configured. */
  public static KeyRing load(VaultSettings settings, SecureRandom random) {
    Path file = settings.keyFile();
    if (settings.configuredKey().isPresent()) {
      List<VaultKey> others = new ArrayList<>(settings.previousKeys());
      if (Files.isRegularFile(file)) {
        others.addAll(readKeyFile(file));
      }
      return new KeyRing(settings.configuredKey().get(), others, Optional.empty());
    }
    if (!Files.exists(file)) {
      VaultKey generated = VaultKey.generate(random);
      try {
        createKeyFile(file, List.of(generated));
        log.info("key={} - generated a new secret key in {} (owner-only); back it up: without it stored tokens cannot be decrypted",
            generated.id(), file);
      } catch (FileAlreadyExistsException raced) {
        // another process created it first: use theirs
      }
    }
    List<VaultKey> fromFile = readKeyFile(file);
    return new KeyRing(fromFile.get(0), fromFile.subList(1, fromFile.size()), Optional.of(file), settings.previousKeys());
  }

  /**
   * This ring, or a fresh one when the key file changed since it was read (a {@code keys rotate}
   * on this host): running processes seal with the new key at once instead of a retired one.
   */
  KeyRing reloadIfChanged() {
    if (keyFile.isEmpty() || stamp(keyFile.get()).equals(fileStamp)) {
      return this;
    }
    List<VaultKey> fromFile = readKeyFile(keyFile.get());
    log.info("key={} - key file {} changed; reloaded", fromFile.get(0).id(), keyFile.get());
    return new KeyRing(fromFile.get(0), fromFile.subList(1, fromFile.size()), keyFile, extra);
  }

  private static String stamp(Path file) {
    try {
      var attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      return attrs.lastModifiedTime().toMillis() + ":" + attrs.size() + ":" + attrs.fileKey();
    } catch (IOException e) {
      return "missing";
    }
  }

  public VaultKey current() {
    return current;
  }

  public Optional<VaultKey> find(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  public Collection<VaultKey> all() {
    return List.copyOf(keys.values());
  }

  /** The key file when keys come from one (no {@code TANDEM_SECRET_KEY}). */
  public Optional<Path> keyFile() {
    return keyFile;
  }

  /** A key ring whose current key is a new one, written to the key file first (file mode only). */
  KeyRing withNewFileKey(SecureRandom random) {
    Path file = keyFile.orElseThrow(() -> new IllegalStateException("keys come from TANDEM_SECRET_KEY, not a key file"));
    VaultKey fresh = VaultKey.generate(random);
    List<VaultKey> all = new ArrayList<>();
    all.add(fresh);
    all.addAll(keys.values());
    replaceKeyFile(file, all);
    return new KeyRing(fresh, keys.values(), keyFile, extra);
  }

  /** Drops every key but the current one from the key file, once nothing is sealed under them. */
  KeyRing retireOldKeys() {
    keyFile.ifPresent(file -> replaceKeyFile(file, List.of(current)));
    return new KeyRing(current, List.of(), keyFile, List.of());
  }

  private static List<VaultKey> readKeyFile(Path file) {
    List<VaultKey> keys = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        try {
          keys.add(VaultKey.fromBase64(line));
        } catch (IllegalArgumentException e) {
          throw new VaultException("key file " + file + " line " + (i + 1) + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key file " + file, e);
    }
    if (keys.isEmpty()) {
      throw new VaultException("key file " + file + " holds no key");
    }
    return keys;
  }

  private static String render(List<VaultKey> keys) {
    StringBuilder s = new StringBuilder("# Tandem secret keys: the first seals new secrets; keep this file private and backed up.\n");
    keys.forEach(k -> s.append(k.toBase64()).append('\n'));
    return s.toString();
  }

  private static void createKeyFile(Path file, List<VaultKey> keys) throws FileAlreadyExistsException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, render(keys), StandardCharsets.US_ASCII);
      try {
        // a hard link is an atomic create-if-absent that leaves a complete file
        Files.createLink(file, tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the key file " + file, e);
    }
  }

  private static void replaceKeyFile(Path file, List<VaultKey> keys) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(parent, ".secret", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, render(keys), StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite the key file " + file, e);
    }
  }
}
