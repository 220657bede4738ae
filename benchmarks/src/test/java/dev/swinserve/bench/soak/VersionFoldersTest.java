package dev.swinserve.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VersionFoldersTest {

  @Test
  void newVersionsGetNumbersNeverUsedBeforeEvenAfterTheHighestIsDeleted() {
    VersionFolders folders = new VersionFolders(List.of(1L, 2L), 5);
    folders.added(3, false);
    folders.deleted(3);

    assertThat(folders.nextVersion()).isEqualTo(4);
    assertThatThrownBy(() -> folders.added(3, false)).hasMessageContaining("expected version 4");
  }

  @Test
  void theLastGoodVersionIsNeverChosenForDeletionButCorruptOnesAre() {
    VersionFolders folders = new VersionFolders(List.of(1L), 5);
    folders.added(2, true);
    folders.added(3, true);
    SplittableRandom random = new SplittableRandom(3);

    for (int draw = 0; draw < 100; draw++) {
      assertThat(folders.chooseDeletion(random).getAsLong()).isIn(2L, 3L);
    }
    folders.deleted(2);
    folders.deleted(3);
    assertThat(folders.chooseDeletion(random)).isEqualTo(OptionalLong.empty());
    assertThat(folders.goodVersions()).containsExactly(1L);
  }

  @Test
  void withTwoGoodVersionsEitherMayGoTheServingOneIncluded() {
    VersionFolders folders = new VersionFolders(List.of(1L, 2L), 5);
    SplittableRandom random = new SplittableRandom(5);
    java.util.Set<Long> chosen = new java.util.HashSet<>();

    for (int draw = 0; draw < 100; draw++) {
      chosen.add(folders.chooseDeletion(random).getAsLong());
    }

    assertThat(chosen).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void isFullAtItsLimit() {
    VersionFolders folders = new VersionFolders(List.of(1L, 2L), 3);
    assertThat(folders.full()).isFalse();

    folders.added(3, true);

    assertThat(folders.full()).isTrue();
    assertThat(folders.versions()).containsExactly(1L, 2L, 3L);
    assertThat(folders.goodVersions()).containsExactly(1L, 2L);
  }
}
