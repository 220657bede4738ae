package dev.swinserve.launcher;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * No package of the project depends on itself through other packages. The launcher's class path
 * holds every module, so one check covers them all; Maven already refuses cycles between modules.
 */
class PackageCyclesTest {

  @Test
  void noPackageCycleInAnyModule() {
    JavaClasses classes =
        new ClassFileImporter()
            // Test classes, whether in a module's test-classes or in its published test-jar.
            .withImportOption(
                location ->
                    !location.contains("/test-classes/") && !location.contains("-tests.jar"))
            .importPackages("dev.swinserve");

    slices().matching("dev.swinserve.(**)").should().beFreeOfCycles().check(classes);
  }
}
