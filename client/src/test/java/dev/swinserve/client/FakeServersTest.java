package dev.swinserve.client;

import dev.swinserve.client.testing.FakeServer;
import dev.swinserve.client.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;

/**
 * The set-up of the resilient client's tests: two fake servers, a manual clock, and the client
 * under test that a test makes over them; all closed after each test.
 */
abstract class FakeServersTest {

  final FakeServer server = new FakeServer();
  final FakeServer other = new FakeServer();
  final ManualClock clock = new ManualClock();
  SwinserveClient client;

  @AfterEach
  void closeServersThenClient() {
    // Servers first: their shutdown ends calls left hanging, so the client closes at once.
    server.close();
    other.close();
    if (client != null) {
      client.close();
    }
  }
}
