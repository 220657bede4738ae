package dev.swinserve.server.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/**
 * Who may call, read from the principals file ({@code auth.principals_file}): each principal's
 * roles and how it proves who it is, a bearer token (stored as its SHA-256, never the token) or a
 * client certificate's subject (mutual TLS). Immutable.
 *
 * <pre>
 * principals:
 *   reporting-job:
 *     roles: [infer, read]
 *     token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 *   batch-pipeline:
 *     roles: [infer]
 *     certificate_subject: CN=batch-pipeline,O=example
 * </pre>
 */
public final class Principals {

  /** A caller the server knows: its name (in logs and messages) and roles. */
  public record Principal(String name, Set<Role> roles) {
    public boolean may(Role needed) {
      return roles.stream().anyMatch(role -> role.grants(needed));
    }
  }

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

  private final Map<String, Principal> byTokenHash;
  private final Map<X500Principal, Principal> bySubject;

  private Principals(Map<String, Principal> byTokenHash, Map<X500Principal, Principal> bySubject) {
    this.byTokenHash = Map.copyOf(byTokenHash);
    this.bySubject = Map.copyOf(bySubject);
  }

  /** Nobody: every credential is refused. */
  public static Principals none() {
    return new Principals(Map.of(), Map.of());
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException naming the file and, for a bad entry, the principal and the key
   */
  public static Principals read(Path file) throws IOException {
    Map<String, Entry> entries;
    try {
      Document document =
          new ObjectMapper(new YAMLFactory())
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(Files.readString(file, StandardCharsets.UTF_8), Document.class);
      entries = document == null || document.principals == null ? Map.of() : document.principals;
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    Map<String, Principal> byTokenHash = new HashMap<>();
    Map<X500Principal, Principal> bySubject = new HashMap<>();
    for (Map.Entry<String, Entry> named : entries.entrySet()) {
      String name = named.getKey();
      Entry entry = named.getValue() == null ? new Entry() : named.getValue();
      String where = file + ": principal '" + name + "'";
      if (!NAME.matcher(name).matches()) {
        throw new IOException(
            where + ": a name is letters, digits, '.', '_', '@', '-', at most 128");
      }
      EnumSet<Role> roles = EnumSet.noneOf(Role.class);
      for (String role : entry.roles == null ? List.<String>of() : entry.roles) {
        switch (role) {
          case "infer" -> roles.add(Role.INFER);
          case "read" -> roles.add(Role.READ);
          case "admin" -> roles.add(Role.ADMIN);
          default ->
              throw new IOException(
                  where + ": 'roles' holds '" + role + "'; the roles are infer, read and admin");
        }
      }
      Principal principal = new Principal(name, Set.copyOf(roles));
      if (entry.tokenSha256 == null && entry.certificateSubject == null) {
        throw new IOException(where + ": needs 'token_sha256' or 'certificate_subject' or both");
      }
      if (entry.tokenSha256 != null) {
        String hash = entry.tokenSha256.toLowerCase(java.util.Locale.ROOT);
        if (!SHA256_HEX.matcher(hash).matches()) {
          throw new IOException(
              where
                  + ": 'token_sha256' must be 64 hex digits, the SHA-256 of the token"
                  + " (printf %s TOKEN | sha256sum)");
        }
        if (byTokenHash.putIfAbsent(hash, principal) != null) {
          throw new IOException(where + ": its token is another principal's too");
        }
      }
      if (entry.certificateSubject != null) {
        X500Principal subject;
        try {
          subject = new X500Principal(entry.certificateSubject);
        } catch (IllegalArgumentException e) {
          throw new IOException(where + ": 'certificate_subject' is not a distinguished name", e);
        }
        if (bySubject.putIfAbsent(subject, principal) != null) {
          throw new IOException(where + ": its certificate subject is another principal's too");
        }
      }
    }
    return new Principals(byTokenHash, bySubject);
  }

  /** The principal whose bearer token this is. */
  public Optional<Principal> byToken(String token) {
    return Optional.ofNullable(byTokenHash.get(sha256(token)));
  }

  /** The principal whose client certificate has this subject. */
  public Optional<Principal> bySubject(X500Principal subject) {
    return Optional.ofNullable(bySubject.get(subject));
  }

  /** The SHA-256 of {@code token}'s UTF-8 bytes, in lower-case hex: what the file stores. */
  public static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The file as written. */
  private static final class Document {
    @JsonProperty("principals")
    private LinkedHashMap<String, Entry> principals = new LinkedHashMap<>();
  }

  /** One principal as written. */
  private static final class Entry {
    @JsonProperty("roles")
    private List<String> roles;

    @JsonProperty("token_sha256")
    private String tokenSha256;

    @JsonProperty("certificate_subject")
    private String certificateSubject;
  }
}
