package dev.swinserve.server.security;

import java.util.Locale;

/**
 * What a caller may do. Every RPC and HTTP route needs one ({@link MethodRoles}); a principal holds
 * some ({@link Principals}).
 */
public enum Role {
  /** Nothing: health checks, open to every caller (probes carry no credentials). */
  NONE,
  /** Classify, streams, KServe infer, TF Serving Predict: every inference front door. */
  INFER,
  /** Health, metadata, listing models and endpoints, metrics. */
  READ,
  /** Labels, endpoints, reload, repository load and unload, metrics reset; includes READ. */
  ADMIN;

  /** Whether holding this role lets a caller do what needs {@code needed}. */
  public boolean grants(Role needed) {
    return needed == NONE || needed == this || (this == ADMIN && needed == READ);
  }

  /**
   * The name the principals file and the messages use: {@code infer}, {@code read}, {@code admin}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
