package dev.tandem.leave.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's JSON shapes: a case line of a JSON Lines file ({@code id}, {@code text},
 * {@code today}, {@code tz}, optional {@code thread}; other fields ignored) and a result
 * ({@code is_leave}, {@code is_cancellation}, {@code dates}).
 */
public final class LeaveCases {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LeaveCases() {}

  /** One case; {@code today} when absent is the current date in {@code tz} (or the machine's zone). */
  public record Case(JsonNode id, String text, LocalDate today, List<String> thread) {}

  public static Case read(String line) throws JsonProcessingException {
    JsonNode c = JSON.readTree(line);
    List<String> thread = new ArrayList<>();
    c.path("thread").forEach(t -> thread.add(t.isTextual() ? t.asText() : t.path("text").asText()));
    LocalDate today = c.hasNonNull("today") ? LocalDate.parse(c.path("today").asText())
        : LocalDate.now(c.hasNonNull("tz") ? ZoneId.of(c.path("tz").asText()) : ZoneId.systemDefault());
    return new Case(c.path("id"), c.path("text").asText(), today, List.copyOf(thread));
  }

  public static ObjectNode json(ParsedLeave p) {
    ObjectNode root = JSON.createObjectNode().put("is_leave", p.isLeave()).put("is_cancellation", p.isCancellation());
    var dates = root.putArray("dates");
    p.dates().forEach(d -> dates.addObject().put("date", d.date().toString()).put("type", d.type().json()).put("category", d.category().json()));
    return root;
  }
}
