package dev.swinserve.converter.checkpoint;

/**
 * The only ways a pickle program reaches outside the pickle machine, both decided by the
 * environment: which Python globals it may name, and what its persistent ids stand for.
 */
interface PickleEnvironment {

  /**
   * The Java stand-in for {@code module.name} (a {@link PickleCallable} if the pickle may call it).
   *
   * @throws MalformedPickleException if the global is not allowed; this is the security boundary
   */
  Object global(String module, String name);

  /** The object a {@code BINPERSID} persistent id refers to. */
  Object persistentLoad(Object persistentId);
}
