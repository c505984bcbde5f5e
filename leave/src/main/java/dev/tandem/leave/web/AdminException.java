package dev.tandem.leave.web;

/** A refusal the admin shows as it is: HTTP status, a stable code and a message for people. */
public final class AdminException extends RuntimeException {
  private final int status;
  private final String code;

  public AdminException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public static AdminException notFound(String what) {
    return new AdminException(404, "not_found", what);
  }

  public static AdminException invalid(String message) {
    return new AdminException(400, "invalid", message);
  }

  public static AdminException conflict(String message) {
    return new AdminException(409, "conflict", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
