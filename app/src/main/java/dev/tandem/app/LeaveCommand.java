package dev.tandem.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.leave.parse.ParsedLeave;
import dev.tandem.leave.parse.RuleParser;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem leave ...}: the Leave app's tools. */
@Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave app tools.", subcommands = LeaveCommand.Parse.class)
final class LeaveCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: parse");
  }

  /** {@code tandem leave parse}: what a leave message says, as JSON in the contract's shape. */
  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = {"Parses a leave message and prints the result as JSON (leave-parsing.md's shape).",
          "With --jsonl FILE, reads one JSON object per line (id, text, today, tz, optional thread) and prints one result per line with its id."})
  static final class Parse implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The message.")
    String text;

    @Option(names = "--today", paramLabel = "YYYY-MM-DD", description = "The poster's local date (default: today in --tz).")
    LocalDate today;

    @Option(names = "--tz", paramLabel = "ZONE", description = "The poster's IANA time zone (default: the machine's).")
    ZoneId tz;

    @Option(names = "--thread", paramLabel = "TEXT", description = "An earlier message of the thread, oldest first; repeatable.")
    List<String> thread = new ArrayList<>();

    @Option(names = "--jsonl", paramLabel = "FILE", description = "Parse every case of a JSON Lines file.")
    Path jsonl;

    @Option(names = "--parser", paramLabel = "rules|llm", description = "Which parser (default: rules; the LLM parser is not built yet).")
    String parser = "rules";

    @Override
    public Integer call() throws Exception {
      if (!parser.equals("rules")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--parser " + parser + ": only the rule parser is built so far (rules)");
      }
      RuleParser rules = new RuleParser();
      PrintWriter out = spec.commandLine().getOut();
      if (jsonl != null) {
        if (text != null) {
          throw new CommandLine.ParameterException(spec.commandLine(), "give either TEXT or --jsonl FILE, not both");
        }
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
          String line;
          int n = 0;
          while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank()) {
              continue;
            }
            JsonNode c;
            try {
              c = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              throw new CommandLine.ParameterException(spec.commandLine(), jsonl + " line " + n + " is not JSON: " + e.getOriginalMessage());
            }
            List<String> earlier = new ArrayList<>();
            c.path("thread").forEach(t -> earlier.add(t.isTextual() ? t.asText() : t.path("text").asText()));
            LocalDate day = c.hasNonNull("today") ? LocalDate.parse(c.path("today").asText())
                : LocalDate.now(c.hasNonNull("tz") ? ZoneId.of(c.path("tz").asText()) : ZoneId.systemDefault());
            ObjectNode result = JSON.createObjectNode();
            result.set("id", c.path("id"));
            result.setAll(json(rules.parse(c.path("text").asText(), day, earlier)));
            out.println(JSON.writeValueAsString(result));
          }
        }
        out.flush();
        return Main.OK;
      }
      if (text == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give the message TEXT, or --jsonl FILE");
      }
      LocalDate day = today != null ? today : LocalDate.now(tz != null ? tz : ZoneId.systemDefault());
      out.println(JSON.writeValueAsString(json(rules.parse(text, day, thread))));
      out.flush();
      return Main.OK;
    }

    static ObjectNode json(ParsedLeave p) {
      ObjectNode root = JSON.createObjectNode().put("is_leave", p.isLeave()).put("is_cancellation", p.isCancellation());
      var dates = root.putArray("dates");
      p.dates().forEach(d -> dates.addObject().put("date", d.date().toString()).put("type", d.type().json()).put("category", d.category().json()));
      return root;
    }
  }
}
