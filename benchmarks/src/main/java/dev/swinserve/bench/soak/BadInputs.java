package dev.swinserve.bench.soak;

import dev.swinserve.api.v1.ClassifierGrpc;
import dev.swinserve.api.v1.ClassifyRequest;
import dev.swinserve.api.v1.ModelServiceGrpc;
import dev.swinserve.api.v1.ModelSpec;
import dev.swinserve.api.v1.PixelTensor;
import dev.swinserve.api.v1.SetLabelRequest;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Calls a well-behaved server must refuse, each with the status it should be refused with. They go
 * out on plain stubs with neither retries nor breakers, once each, as a careless or hostile caller
 * sends them. Thread-safe.
 */
final class BadInputs {

  /** The kinds of bad input and the status each should get. */
  enum Kind {
    /** The first third of a JPEG. */
    TRUNCATED_IMAGE(Status.Code.INVALID_ARGUMENT),
    /** A model name never seen before, 120 characters long, a new one every time. */
    UNKNOWN_MODEL(Status.Code.NOT_FOUND),
    /** A label that does not exist. */
    UNKNOWN_LABEL(Status.Code.NOT_FOUND),
    /** A pixel tensor holding a NaN and an infinity. */
    NAN_PIXELS(Status.Code.INVALID_ARGUMENT),
    /** A pixel tensor with fewer values than its shape says. */
    WRONG_TENSOR_SIZE(Status.Code.INVALID_ARGUMENT),
    /** A request without images. */
    NO_IMAGES(Status.Code.INVALID_ARGUMENT),
    /** 100 images in one request, over the default {@code max_images_per_request} of 64. */
    TOO_MANY_IMAGES(Status.Code.INVALID_ARGUMENT),
    /** A 10,000-character request id. */
    OVERSIZED_REQUEST_ID(Status.Code.INVALID_ARGUMENT),
    /** {@code SetLabel} with a 10,000-character label name. */
    OVERSIZED_LABEL(Status.Code.INVALID_ARGUMENT);

    private final Status.Code expected;

    Kind(Status.Code expected) {
      this.expected = expected;
    }

    Status.Code expected() {
      return expected;
    }
  }

  /** What one bad input got. */
  record Outcome(Kind kind, Status status) {

    boolean asExpected() {
      return status.getCode() == kind.expected();
    }
  }

  private static final long DEADLINE_SECONDS = 10;
  private static final String LONG_NAME = "x".repeat(10_000);

  private final Channel channel;
  private final byte[] photo;
  private final byte[] smallImage;

  /** Bad inputs over {@code channel}, cut from {@code photo} and copied from {@code smallImage}. */
  BadInputs(Channel channel, byte[] photo, byte[] smallImage) {
    this.channel = channel;
    this.photo = photo;
    this.smallImage = smallImage;
  }

  /**
   * Sends one bad input of a kind drawn from {@code random}; {@code sequence} makes names unique.
   */
  Outcome send(SplittableRandom random, long sequence) {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    return new Outcome(kind, send(kind, sequence));
  }

  Status send(Kind kind, long sequence) {
    try {
      if (kind == Kind.OVERSIZED_LABEL) {
        setLongLabel();
      } else {
        ClassifierGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
            .classify(request(kind, sequence));
      }
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private ClassifyRequest request(Kind kind, long sequence) {
    ClassifyRequest good =
        Requests.classify(SoakRepository.ALPHA, Requests.image(Requests.pixels(sequence)));
    return switch (kind) {
      case TRUNCATED_IMAGE ->
          Requests.classify(
              SoakRepository.ALPHA, Requests.image(Arrays.copyOf(photo, photo.length / 3)));
      case UNKNOWN_MODEL ->
          good.toBuilder()
              .setModel(Requests.model("probe-" + sequence + "-" + "y".repeat(100)))
              .build();
      case UNKNOWN_LABEL ->
          good.toBuilder()
              .setModel(
                  ModelSpec.newBuilder().setName(SoakRepository.ALPHA).setLabel("no-such-label"))
              .build();
      case NAN_PIXELS -> {
        PixelTensor.Builder pixels = Requests.pixels(sequence);
        pixels.setValues(7, Float.NaN).setValues(1000, Float.POSITIVE_INFINITY);
        yield Requests.classify(SoakRepository.ALPHA, Requests.image(pixels));
      }
      case WRONG_TENSOR_SIZE -> {
        PixelTensor.Builder pixels = Requests.pixels(sequence);
        pixels
            .clearValues()
            .addAllValues(Requests.pixels(sequence).getValuesList().subList(0, 1000));
        yield Requests.classify(SoakRepository.ALPHA, Requests.image(pixels));
      }
      case NO_IMAGES -> good.toBuilder().clearImages().build();
      case TOO_MANY_IMAGES -> {
        ClassifyRequest.Builder many = good.toBuilder().clearImages();
        for (int i = 0; i < 100; i++) {
          many.addImages(Requests.image(smallImage));
        }
        yield many.build();
      }
      case OVERSIZED_REQUEST_ID -> good.toBuilder().setRequestId(LONG_NAME).build();
      case OVERSIZED_LABEL -> throw new IllegalArgumentException("not a Classify request: " + kind);
    };
  }

  /** Points a 10,000-character label at alpha's default version, which is AVAILABLE if any is. */
  private void setLongLabel() {
    ModelServiceGrpc.ModelServiceBlockingStub models =
        ModelServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    long version = models.getModelStatus(Requests.model(SoakRepository.ALPHA)).getDefaultVersion();
    models.setLabel(
        SetLabelRequest.newBuilder()
            .setModel(SoakRepository.ALPHA)
            .setLabel(LONG_NAME)
            .setVersion(version)
            .build());
  }
}
