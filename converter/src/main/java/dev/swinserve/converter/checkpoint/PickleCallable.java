package dev.swinserve.converter.checkpoint;

import java.util.List;

/**
 * What a pickle's {@code REDUCE} or {@code NEWOBJ} may call: only Java stand-ins for allowlisted
 * Python globals implement it, so a pickle can never reach arbitrary code.
 */
@FunctionalInterface
interface PickleCallable {

  /**
   * Calls the stand-in with the pickle's argument tuple; throws {@link MalformedPickleException}.
   */
  Object call(List<Object> arguments);
}
