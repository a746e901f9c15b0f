package io.swarmscope.exporter.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ScrapeWorkersTest {

  @Test
  void everyTaskRunsExactlyOnceWhateverTheParallelism() {
    for (int parallelism : new int[] {1, 2, 4}) {
      ScrapeWorkers workers = new ScrapeWorkers(parallelism);
      AtomicIntegerArray runs = new AtomicIntegerArray(50);
      List<Runnable> tasks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int n = i;
        tasks.add(() -> runs.incrementAndGet(n));
      }
      workers.runAll(tasks);
      for (int i = 0; i < 50; i++) {
        assertEquals(1, runs.get(i), "task " + i + " at parallelism " + parallelism);
      }
    }
  }

  @Test
  void severalThreadsTakePartWhenThereAreWorkers() {
    ScrapeWorkers workers = new ScrapeWorkers(2);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger started = new AtomicInteger();
    List<Runnable> tasks = List.of(() -> rendezvous(started, threads), () -> rendezvous(started, threads));
    workers.runAll(tasks);
    assertEquals(2, threads.size(), threads.toString());
  }

  /** Waits (bounded) until both tasks have started, which needs two threads. */
  private static void rendezvous(AtomicInteger started, Set<String> threads) {
    threads.add(Thread.currentThread().getName());
    started.incrementAndGet();
    for (int i = 0; i < 2000 && started.get() < 2; i++) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Test
  void nestedFanOutOnTheSameWorkersCompletes() {
    ScrapeWorkers workers = new ScrapeWorkers(2);
    AtomicInteger leaves = new AtomicInteger();
    List<Runnable> outer = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      outer.add(() -> workers.forEachShare(List.of(1, 2, 3, 4, 5), (from, to) -> leaves.addAndGet(to - from)));
    }
    workers.runAll(outer);
    assertEquals(30, leaves.get());
  }

  @Test
  void sharesCoverEveryItemOnce() {
    ScrapeWorkers workers = new ScrapeWorkers(3);
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(i);
    }
    AtomicIntegerArray seen = new AtomicIntegerArray(10);
    workers.forEachShare(items, (from, to) -> {
      for (int i = from; i < to; i++) {
        seen.incrementAndGet(items.get(i));
      }
    });
    for (int i = 0; i < 10; i++) {
      assertEquals(1, seen.get(i));
    }
    workers.forEachShare(List.of(), (from, to) -> { throw new AssertionError("no share for no items"); });
  }

  @Test
  void theEnvironmentSetsTheWorkersAndNonsenseIsRefused() {
    assertEquals(1, ScrapeWorkers.fromEnvironment(java.util.Map.of()));
    assertEquals(3, ScrapeWorkers.fromEnvironment(java.util.Map.of("SWARMSCOPE_SCRAPE_WORKERS", "3")));
    for (String bad : new String[] {"0", "-2", "many", "1000"}) {
      assertThrows(IllegalArgumentException.class,
          () -> ScrapeWorkers.fromEnvironment(java.util.Map.of("SWARMSCOPE_SCRAPE_WORKERS", bad)), bad);
    }
  }

  @Test
  void anEscapingExceptionIsRethrownAfterTheOthersFinish() {
    ScrapeWorkers workers = new ScrapeWorkers(2);
    AtomicInteger done = new AtomicInteger();
    List<Runnable> tasks = List.of(done::incrementAndGet, () -> {
      throw new IllegalStateException("boom");
    }, done::incrementAndGet);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> workers.runAll(tasks));
    assertEquals("boom", e.getMessage());
    assertEquals(2, done.get());
    assertTrue(workers.parallelism() == 2);
  }
}
