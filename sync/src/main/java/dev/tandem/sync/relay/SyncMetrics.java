package dev.tandem.sync.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/** Messages synced, skipped and failed by kind, and how long a delivery takes from the event to its copy. */
final class SyncMetrics {
  private final MeterRegistry registry;

  SyncMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void outcome(Deliveries.Op op, Deliveries.Status status) {
    Counter.builder("tandem.sync.deliveries").description("Sync deliveries by kind and outcome (done, skipped, failed)")
        .tag("kind", op.name().toLowerCase(Locale.ROOT)).tag("outcome", status.name().toLowerCase(Locale.ROOT))
        .register(registry).increment();
  }

  void skipped(String reason) {
    Counter.builder("tandem.sync.skipped").description("Events that were not synced, by reason").tag("reason", reason)
        .register(registry).increment();
  }

  void duplicateRemoved() {
    Counter.builder("tandem.sync.duplicates.removed")
        .description("Extra copies deleted (a post was repeated because its first outcome was unknown)")
        .register(registry).increment();
  }

  void latency(Deliveries.Op op, Duration d) {
    Timer.builder("tandem.sync.delivery.latency").description("From the event's arrival to its copy in the target channel")
        .tag("kind", op.name().toLowerCase(Locale.ROOT)).publishPercentileHistogram().register(registry).record(d);
  }
}
