package dev.swinserve.client.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void retriesStayWithinTheRatioOfCallsPlusTheMinimum() {
    RetryBudget budget = new RetryBudget(0.1, 10);
    int retries = 0;
    for (int call = 0; call < 1000; call++) {
      budget.recordCall();
      // An outage: every call would like two retries.
      for (int attempt = 0; attempt < 2; attempt++) {
        if (budget.tryAcquireRetry()) {
          retries++;
        }
      }
    }

    assertThat(retries).isLessThanOrEqualTo(100 + 10).isGreaterThanOrEqualTo(100);
  }

  @Test
  void aQuietSpellCannotSaveUpMoreThanTheMinimum() {
    RetryBudget budget = new RetryBudget(0.5, 3);
    for (int call = 0; call < 100; call++) {
      budget.recordCall();
    }

    assertThat(budget.tokens()).isEqualTo(3);
  }

  @Test
  void noRetryWithoutAWholeToken() {
    RetryBudget budget = new RetryBudget(0.5, 0);

    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.recordCall();
    assertThat(budget.tryAcquireRetry()).isFalse();
    budget.recordCall();
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tokens()).isZero();
  }
}
