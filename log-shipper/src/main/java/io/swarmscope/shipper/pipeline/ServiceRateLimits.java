package io.swarmscope.shipper.pipeline;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The optional per-service rate limits of this node's shipper: one default in lines (events) per
 * second for every service, and overrides by service name ({@code 0} = unlimited). Containers of
 * the same service share one {@link RateLimiter}. Thread safe.
 */
public final class ServiceRateLimits {

  private final double perService;
  private final Map<String, Double> overrides;
  private final LongSupplier nanoTime;
  private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param perService events per second for a service without override; 0 for no limit
   * @param overrides events per second by service name; 0 for no limit
   */
  public ServiceRateLimits(double perService, Map<String, Double> overrides, LongSupplier nanoTime) {
    check("the per-service rate limit", perService);
    overrides.forEach((service, rate) -> check("the rate limit of service " + service, rate));
    this.perService = perService;
    this.overrides = Map.copyOf(overrides);
    this.nanoTime = nanoTime;
  }

  public static ServiceRateLimits none() {
    return new ServiceRateLimits(0, Map.of(), System::nanoTime);
  }

  /**
   * Parses {@code name=rate,name=rate} (what {@code --service.rate.limit.overrides} takes).
   *
   * @throws IllegalArgumentException naming the part that is not {@code name=number}
   */
  public static Map<String, Double> parseOverrides(Iterable<String> parts) {
    Map<String, Double> out = new HashMap<>();
    for (String p : parts) {
      int eq = p.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("service rate limit override '" + p
            + "' is not service=lines_per_second");
      }
      try {
        out.put(p.substring(0, eq).trim(), Double.parseDouble(p.substring(eq + 1).trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("service rate limit override '" + p
            + "': '" + p.substring(eq + 1) + "' is not a number of lines per second");
      }
    }
    return out;
  }

  private static void check(String what, double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(what + " must be 0 (off) or a positive number of lines "
          + "per second, got " + rate);
    }
  }

  /** The limiter for a service's events, or null when the service is not limited. */
  public RateLimiter forService(String service) {
    double rate = overrides.getOrDefault(service, perService);
    if (rate == 0) {
      return null;
    }
    return limiters.computeIfAbsent(service, s -> new RateLimiter(s, rate, nanoTime));
  }

  @Override
  public String toString() {
    return perService == 0 && overrides.isEmpty() ? "none"
        : String.format(Locale.ROOT, "%s lines/s per service, overrides %s",
            perService == 0 ? "unlimited" : perService, overrides);
  }
}
