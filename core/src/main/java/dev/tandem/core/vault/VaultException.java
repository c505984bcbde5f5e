package dev.tandem.core.vault;

/** A sealed secret cannot be opened: unknown key id, tampered ciphertext, or malformed value. */
public final class VaultException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VaultException(String message) {
    super(message);
  }

  public VaultException(String message, Throwable cause) {
    super(message, cause);
  }
}
