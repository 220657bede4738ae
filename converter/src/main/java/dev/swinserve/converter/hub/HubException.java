package dev.swinserve.converter.hub;

/**
 * A hub download that failed; {@link #kind()} says why and the message is meant for the user (it
 * names the repository, revision, file or endpoint involved and, where it helps, what to do).
 */
public class HubException extends RuntimeException {

  /** Why a download failed. */
  public enum Kind {
    /** The repository does not exist, or is private and no valid token was sent. */
    REPOSITORY_NOT_FOUND,
    /** The repository exists but the branch, tag or commit does not. */
    REVISION_NOT_FOUND,
    /** The revision exists but does not hold the file. */
    ENTRY_NOT_FOUND,
    /** 401/403: a gated or private repository; a token ({@code HF_TOKEN}) with access is needed. */
    ACCESS_DENIED,
    /**
     * No connection could be made (refused, timed out, unknown host) and nothing usable is cached.
     */
    UNREACHABLE,
    /**
     * The download kept failing (dropped connections, server errors) until the attempts ran out.
     */
    TRANSFER_FAILED,
    /** The downloaded bytes do not match the size or sha256 the hub announced. */
    INTEGRITY,
    /** Any other unexpected answer from the hub, or a local file system error. */
    OTHER
  }

  private final Kind kind;

  public HubException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public HubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
