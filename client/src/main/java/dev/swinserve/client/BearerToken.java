package dev.swinserve.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.Optional;
import java.util.concurrent.Executor;

/** A bearer token as gRPC call credentials: {@code authorization: Bearer <token>} on each call. */
final class BearerToken extends CallCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String token;

  private BearerToken(String token) {
    this.token = token;
  }

  /** The credentials for {@code token}; null (no credentials) when there is none. */
  static CallCredentials of(Optional<String> token) {
    return token.map(BearerToken::new).orElse(null);
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token);
    applier.apply(headers);
  }
}
