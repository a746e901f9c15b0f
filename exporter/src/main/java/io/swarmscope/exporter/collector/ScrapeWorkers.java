package io.swarmscope.exporter.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a scrape's independent pieces of work side by side when configured to, as node_exporter
 * runs its collectors concurrently: most of a scrape with many containers is kernel file reads.
 *
 * <p>The calling thread always takes part: it runs every task no worker has started yet, and
 * only then waits for those in progress. So nested use (a collector fanning out its own reads
 * while collectors run on the workers) can never deadlock, and with one core everything simply
 * runs on the caller. Workers are daemon threads, created on first use and kept while busy.
 */
public final class ScrapeWorkers {

  /**
   * How many threads a scrape uses: {@code SWARMSCOPE_SCRAPE_WORKERS}, default 1 (everything on the
   * scrape thread). Side by side was not faster where it was measured: 2 shared cores, and the
   * exporter's task limited to a quarter of a core in stack.yml, where more threads only use up
   * the CPU quota sooner (docs/benchmarks.md). Worth trying on hosts with spare cores and many
   * containers.
   */
  private static final ScrapeWorkers SHARED = new ScrapeWorkers(fromEnvironment(System.getenv()));

  static int fromEnvironment(java.util.Map<String, String> env) {
    String v = env.getOrDefault("SWARMSCOPE_SCRAPE_WORKERS", "1").trim();
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("SWARMSCOPE_SCRAPE_WORKERS must be a number from 1 to 64, got '" + v + "'");
  }

  private final int parallelism;
  private final ExecutorService pool;

  /** {@code parallelism} threads in all, the caller included; 1 runs everything on the caller. */
  public ScrapeWorkers(int parallelism) {
    this.parallelism = Math.max(1, parallelism);
    if (this.parallelism == 1) {
      this.pool = null;
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor p = new ThreadPoolExecutor(this.parallelism - 1, this.parallelism - 1,
        60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "scrape-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    p.allowCoreThreadTimeOut(true);
    this.pool = p;
  }

  /** The exporter's own, sized by {@code SWARMSCOPE_SCRAPE_WORKERS}. */
  public static ScrapeWorkers shared() {
    return SHARED;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Runs all tasks and returns when every one has finished. Tasks handle their own failures; an
   * unchecked exception escaping one is rethrown here after the others are done.
   */
  public void runAll(List<? extends Runnable> tasks) {
    if (pool == null || tasks.size() < 2) {
      tasks.forEach(Runnable::run);
      return;
    }
    List<FutureTask<Void>> futures = new ArrayList<>(tasks.size());
    for (Runnable r : tasks) {
      futures.add(new FutureTask<>(r, null));
    }
    for (int i = 1; i < futures.size(); i++) {
      try {
        pool.execute(futures.get(i));
      } catch (RejectedExecutionException e) {
        break; // the caller runs the rest below
      }
    }
    for (FutureTask<Void> f : futures) {
      f.run(); // a no-op for a task a worker has started or finished
    }
    RuntimeException first = null;
    for (FutureTask<Void> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for scrape work", e);
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re
              : new IllegalStateException(e.getCause());
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Splits {@code items} into one contiguous share per thread and runs {@code work} on each. */
  public <T> void forEachShare(List<T> items, ShareWork<T> work) {
    int shares = Math.min(parallelism, items.size());
    List<Runnable> tasks = new ArrayList<>(shares);
    for (int s = 0; s < shares; s++) {
      int from = items.size() * s / shares;
      int to = items.size() * (s + 1) / shares;
      tasks.add(() -> work.run(from, to));
    }
    runAll(tasks);
  }

  /** Work on the items in {@code [from, to)}. */
  @FunctionalInterface
  public interface ShareWork<T> {
    void run(int from, int to);
  }
}
