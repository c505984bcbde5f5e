package dev.tandem.leave;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids of the Leave app's rows: random, so they reveal nothing and are unguessable in button values. */
public final class LeaveIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LeaveIds() {}

  public static String newId() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
