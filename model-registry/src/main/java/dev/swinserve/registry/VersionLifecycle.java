package dev.swinserve.registry;

import dev.swinserve.registry.AspiredVersions.AspiredModel;
import dev.swinserve.registry.AspiredVersions.AspiredVersion;
import dev.swinserve.registry.AvailabilityPreservingPolicy.Transitions;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Drives versions through their lives (LOADING, WARMING, AVAILABLE, UNLOADING, UNLOADED or FAILED)
 * and publishes a {@link RegistrySnapshot} after every change.
 *
 * <p>Thread-safe. One lock guards the model entries; it is held only to change state and to build
 * the next snapshot, never while a loader, a warm-up or a servable's close runs, and never by
 * readers, who use the published snapshot. After each change the {@link
 * AvailabilityPreservingPolicy} decides what to do next for that model.
 *
 * <p>With a {@link MemoryBudget}, a version reserves its estimate before it loads; one that does
 * not fit stays LOADING, not loading, with the reason as its error, and is admitted (in model-name
 * and version order) once versions holding memory are UNLOADED or FAILED. One no longer wanted
 * meanwhile becomes UNLOADED without loading.
 */
final class VersionLifecycle<S extends Servable> {

  private static final System.Logger LOG = System.getLogger(VersionLifecycle.class.getName());

  private final ModelLoader<S> loader;
  private final Clock clock;
  private final Executor loadPool;
  private final Executor unloader;
  private final ListenerNotifier notifier;
  private final MemoryBudget budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, ModelEntry<S>> models = new TreeMap<>();
  private final List<ManagedVersion<S>> retiring = new ArrayList<>();
  private final LoadSteps loadSteps = new LoadSteps();
  private boolean closed;
  private boolean memoryFreed;
  private List<RepositoryProblem> problems = List.of();
  private volatile RegistrySnapshot<S> snapshot = RegistrySnapshot.empty();

  VersionLifecycle(
      ModelLoader<S> loader,
      Clock clock,
      Executor loadPool,
      Executor unloader,
      ListenerNotifier notifier,
      MemoryBudget budget) {
    this.loader = loader;
    this.clock = clock;
    this.loadPool = loadPool;
    this.unloader = unloader;
    this.notifier = notifier;
    this.budget = budget;
  }

  RegistrySnapshot<S> snapshot() {
    return snapshot;
  }

  /**
   * Brings the registry in line with what a source offers; returns the loads it started (none once
   * closed). Leaves telling the listeners to the caller, who may hold a lock it should not call
   * them under.
   */
  List<CompletableFuture<Void>> apply(AspiredVersions aspired) {
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    mutate(
        () -> {
          if (closed) {
            return;
          }
          problems = aspired.problems();
          for (AspiredModel model : aspired.models().values()) {
            models.computeIfAbsent(model.name(), ModelEntry::new).update(model);
          }
          for (ModelEntry<S> entry : models.values()) {
            if (!aspired.models().containsKey(entry.name())
                && !aspired.unreadable().contains(entry.name())) {
              entry.vanish();
            }
          }
          for (ModelEntry<S> entry : List.copyOf(models.values())) {
            reconcile(entry, loads);
          }
        });
    return loads;
  }

  /** See {@link ModelRegistry#setLabel}. */
  ModelStatus setLabel(String model, String label, long version) {
    ModelStatus after =
        changeLabels(
            model,
            label,
            (view, entry) -> {
              view.requireAvailable(version);
              entry.setRuntimeLabel(label, version);
            });
    LOG.log(
        Level.INFO,
        "label '" + label + "' of model '" + model + "' now points at version " + version);
    return after;
  }

  /** See {@link ModelRegistry#removeLabel}. */
  ModelStatus removeLabel(String model, String label) {
    ModelStatus after =
        changeLabels(model, label, (view, entry) -> entry.removeRuntimeLabel(label));
    LOG.log(Level.INFO, "label '" + label + "' of model '" + model + "' removed");
    return after;
  }

  /** See {@link ModelRegistry#unload}: retires every version; returns the status right after. */
  ModelStatus unload(String model) {
    List<ModelStatus> after = new ArrayList<>(1);
    change(
        () -> {
          ModelEntry<S> entry = entry(model);
          entry.unload();
          reconcile(entry, new ArrayList<>());
          after.add(entry.status());
        });
    return after.get(0);
  }

  /**
   * The first step of {@link ModelRegistry#load}: clears an unload and forgets the model's failed
   * versions, so that they are tried again. Does nothing for a model not known yet.
   *
   * @return whether the model was unloaded on request
   */
  boolean beginLoad(String model) {
    boolean[] wasUnloaded = {false};
    change(
        () -> {
          requireOpen();
          ModelEntry<S> entry = models.get(model);
          if (entry != null) {
            wasUnloaded[0] = entry.unloaded();
            entry.load();
            reconcile(entry, new ArrayList<>());
          }
        });
    return wasUnloaded[0];
  }

  /**
   * Waits until {@code done} holds for the model (tested under the lock, now and after every
   * change), or {@code timeout} passes.
   *
   * @return the model's status then; empty if the model is gone
   * @throws ModelUnavailableException if the registry is closed, or the thread is interrupted
   */
  Optional<ModelStatus> awaitModel(String model, Predicate<ModelEntry<S>> done, Duration timeout) {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (true) {
        requireOpen();
        ModelEntry<S> entry = models.get(model);
        if (entry == null) {
          return Optional.empty();
        }
        if (nanos <= 0 || done.test(entry)) {
          return Optional.of(entry.status());
        }
        nanos = changed.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelUnavailableException(
          "interrupted while waiting for model '" + model + "' to change");
    } finally {
      lock.unlock();
    }
  }

  // Lock held: the model's entry, or the not-found error naming the models there are.
  private ModelEntry<S> entry(String model) {
    requireOpen();
    ModelEntry<S> entry = models.get(model);
    if (entry == null) {
      throw snapshot.notFound(model);
    }
    return entry;
  }

  // Lock held.
  private void requireOpen() {
    if (closed) {
      throw new ModelUnavailableException("the model registry is closed");
    }
  }

  /**
   * Checks the label's name, applies {@code edit} to the model under the lock (it may throw to
   * refuse) and reconciles the model; returns the model's status after the change.
   */
  private ModelStatus changeLabels(
      String model, String label, BiConsumer<ModelView<S>, ModelEntry<S>> edit) {
    requireValidLabel(label);
    List<ModelStatus> after = new ArrayList<>(1);
    change(
        () -> {
          if (closed) {
            throw new ModelUnavailableException("the model registry is closed");
          }
          ModelView<S> view = snapshot.model(model);
          ModelEntry<S> entry = models.get(model);
          edit.accept(view, entry);
          reconcile(entry, new ArrayList<>());
          // Taken here rather than from the next snapshot, which a concurrent change may replace.
          after.add(entry.status());
        });
    return after.get(0);
  }

  private static void requireValidLabel(String label) {
    if (!RepositoryLayout.isValidLabel(label)) {
      throw new InvalidNameException(
          Names.quoted(String.valueOf(label))
              + " is not a valid label name ("
              + RepositoryLayout.LABEL_RULE
              + ")");
    }
  }

  /** Retires everything; false if the registry was already closing. */
  boolean beginClose() {
    boolean[] first = {false};
    change(
        () -> {
          first[0] = !closed;
          closed = true;
          // As if the repository had emptied: every version retires, running loads retire on
          // arrival.
          models.values().forEach(ModelEntry::vanish);
          for (ModelEntry<S> entry : List.copyOf(models.values())) {
            reconcile(entry, new ArrayList<>());
          }
        });
    return first[0];
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every version has unloaded; false if {@code timeout} passed first. */
  boolean awaitDrained(Duration timeout) {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!models.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return models.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Closes retiring versions whose handles are still open; the last resort of a bounded close. */
  void forceClose(Duration waited) {
    List<ManagedVersion<S>> stuck = new ArrayList<>();
    change(
        () ->
            models
                .values()
                .forEach(
                    entry ->
                        entry
                            .versions()
                            .values()
                            .forEach(
                                managed -> {
                                  if (managed.state() == VersionState.UNLOADING) {
                                    stuck.add(managed);
                                  } else if (managed.state() == VersionState.LOADING
                                      || managed.state() == VersionState.WARMING) {
                                    LOG.log(
                                        Level.WARNING,
                                        managed.id()
                                            + " is still "
                                            + managed.state()
                                            + " after "
                                            + waited
                                            + "; it will be closed when its loader returns");
                                  }
                                })));
    for (ManagedVersion<S> managed : stuck) {
      LOG.log(
          Level.WARNING,
          "closing "
              + managed.id()
              + " with "
              + managed.openHandlesAfterRetiring()
              + " handle(s) still open after waiting "
              + waited);
      managed.closeServable();
      finishUnload(managed);
    }
  }

  // Runs a state change under the lock, then tells the listeners outside it.
  private void change(Runnable action) {
    mutate(action);
    notifier.deliver();
  }

  private void mutate(Runnable action) {
    lock.lock();
    try {
      action.run();
      admitWaiting();
      publish();
    } finally {
      lock.unlock();
    }
  }

  private void reconcile(ModelEntry<S> entry, List<CompletableFuture<Void>> loads) {
    entry.forgetChangedFailures();
    Set<Long> desired = entry.desired();
    for (ManagedVersion<S> managed : entry.versions().values()) {
      if (managed.awaitsMemory() && !desired.contains(managed.version())) {
        LOG.log(Level.INFO, managed.id() + " is no longer wanted; it stops waiting for memory");
        transition(managed, VersionState.UNLOADED, null);
      }
    }
    Transitions next =
        AvailabilityPreservingPolicy.plan(entry.offered().keySet(), desired, entry.states());
    next.forget().forEach(entry.versions()::remove);
    for (long version : next.load()) {
      loads.add(startLoad(entry, entry.offered().get(version)));
    }
    for (long version : next.retire()) {
      ManagedVersion<S> managed = entry.versions().get(version);
      LOG.log(Level.INFO, "retiring " + managed.id());
      transition(managed, VersionState.UNLOADING, null);
      retiring.add(managed);
    }
    if (entry.isGone()) {
      models.remove(entry.name());
    }
  }

  private void publish() {
    RegistrySnapshot<S> next = RegistrySnapshot.of(models.values(), closed, problems);
    notifier.servingChanges(snapshot, next);
    snapshot = next;
    notifier.commit();
    // Only after publishing: ModelRegistry.acquire retries when it finds a version drained, and
    // must then find a snapshot in which that version is no longer available.
    List<ManagedVersion<S>> released = List.copyOf(retiring);
    retiring.clear();
    released.forEach(ManagedVersion::releaseRegistryReference);
    changed.signalAll();
  }

  private void transition(ManagedVersion<S> managed, VersionState state, String error) {
    managed.setState(state, error);
    if (state == VersionState.UNLOADED || state == VersionState.FAILED) {
      memoryFreed |= budget.release(managed);
    }
    notifier.versionStateChanged(managed.id(), state);
  }

  private CompletableFuture<Void> startLoad(ModelEntry<S> entry, AspiredVersion aspired) {
    ModelVersionId id = new ModelVersionId(entry.name(), aspired.version());
    ManagedVersion<S> managed = new ManagedVersion<>(id, aspired, this::unloadLater);
    entry.versions().put(id.version(), managed);
    transition(managed, VersionState.LOADING, null);
    return submitLoad(entry, managed);
  }

  private CompletableFuture<Void> submitLoad(ModelEntry<S> entry, ManagedVersion<S> managed) {
    return CompletableFuture.runAsync(
        new VersionLoadTask<>(managed, entry.config(), loader, clock, loadSteps), loadPool);
  }

  // Once memory was given back: the versions waiting for it that fit now load, in model-name and
  // version order. Nobody waits for these loads; reload() returned when they began to wait.
  private void admitWaiting() {
    if (!memoryFreed || closed) {
      return;
    }
    memoryFreed = false;
    for (ModelEntry<S> entry : models.values()) {
      for (ManagedVersion<S> managed : entry.versions().values()) {
        if (managed.awaitsMemory() && budget.tryReserve(managed, managed.awaitedBytes())) {
          LOG.log(Level.INFO, managed.id() + " fits in the memory budget now; loading it");
          submitLoad(entry, managed);
        }
      }
    }
  }

  private final class LoadSteps implements VersionLoadTask.Steps<S> {

    @Override
    public boolean begin(ManagedVersion<S> managed) {
      boolean[] run = {true};
      update(managed, loading -> run[0] = stillOffered(loading));
      return run[0];
    }

    @Override
    public boolean budgeted() {
      return budget.isLimited();
    }

    @Override
    public boolean admit(ManagedVersion<S> managed, long estimatedBytes) {
      boolean[] run = {false};
      update(
          managed,
          loading -> {
            if (!stillOffered(loading)) {
              return;
            }
            if (budget.exceedsWhole(estimatedBytes)) {
              String reason = budget.tooLarge(estimatedBytes);
              LOG.log(Level.WARNING, loading.id() + " FAILED: " + reason);
              transition(loading, VersionState.FAILED, reason);
            } else if (budget.tryReserve(loading, estimatedBytes)) {
              run[0] = true;
            } else {
              String reason = budget.shortfall(estimatedBytes);
              LOG.log(Level.INFO, loading.id() + " is " + reason);
              loading.awaitMemory(estimatedBytes, reason);
            }
          });
      return run[0];
    }

    // It may have waited in the queue while its directory vanished, its model was unloaded on
    // request or the registry closed; then it becomes UNLOADED without loading.
    private boolean stillOffered(ManagedVersion<S> loading) {
      ModelEntry<S> entry = models.get(loading.id().name());
      if (!closed
          && entry != null
          && !entry.unloaded()
          && entry.offered().containsKey(loading.version())) {
        return true;
      }
      transition(loading, VersionState.UNLOADED, null);
      return false;
    }

    @Override
    public void warming(ManagedVersion<S> managed) {
      update(managed, loaded -> transition(loaded, VersionState.WARMING, null));
    }

    @Override
    public void available(ManagedVersion<S> managed, S servable) {
      update(
          managed,
          warmed -> {
            warmed.makeAvailable(servable);
            notifier.versionStateChanged(warmed.id(), VersionState.AVAILABLE);
          });
    }

    @Override
    public void failed(ManagedVersion<S> managed, String reason) {
      update(managed, failed -> transition(failed, VersionState.FAILED, reason));
    }
  }

  // A step in a version's life, then whatever the policy makes of it.
  private void update(ManagedVersion<S> managed, Consumer<ManagedVersion<S>> step) {
    change(
        () -> {
          step.accept(managed);
          ModelEntry<S> entry = models.get(managed.id().name());
          if (entry != null) {
            reconcile(entry, new ArrayList<>());
          }
        });
  }

  private void unloadLater(ManagedVersion<S> drained) {
    unloader.execute(
        () -> {
          drained.closeServable();
          finishUnload(drained);
        });
  }

  private void finishUnload(ManagedVersion<S> managed) {
    update(
        managed,
        unloaded -> {
          if (unloaded.state() == VersionState.UNLOADING) {
            transition(unloaded, VersionState.UNLOADED, null);
            LOG.log(Level.INFO, unloaded.id() + " is UNLOADED");
          }
        });
  }
}
