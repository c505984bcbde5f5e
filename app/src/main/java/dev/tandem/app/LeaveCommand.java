package dev.tandem.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.core.config.ConfigReader;
import dev.tandem.leave.parse.LeaveCases;
import dev.tandem.leave.parse.LeaveParser;
import dev.tandem.leave.parse.LlmParser;
import dev.tandem.leave.parse.LlmSettings;
import dev.tandem.leave.parse.RuleParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem leave ...}: the Leave app's tools. */
@Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave app tools.",
    subcommands = {LeaveCommand.Parse.class, LeaveCommand.Retry.class})
final class LeaveCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: parse, retry");
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

    @Option(names = "--parser", paramLabel = "rules|llm",
        description = "Which parser: llm (falls back to the rules) or rules. Default: llm when TANDEM_LEAVE_LLM_URL is set, else rules.")
    String parser;

    private final Launch launch;

    Parse(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() throws Exception {
      ConfigReader config = launch.config();
      Optional<LlmSettings> llmSettings = LlmSettings.read(config);
      String chosen = parser != null ? parser : llmSettings.isPresent() ? "llm" : "rules";
      if (!chosen.equals("rules") && !chosen.equals("llm")) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--parser " + parser + ": choose rules or llm");
      }
      RuleParser rules = new RuleParser();
      if (chosen.equals("rules")) {
        return parseWith(rules);
      }
      config.throwIfProblems();
      if (llmSettings.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--parser llm: no LLM is configured (set TANDEM_LEAVE_LLM_URL and TANDEM_LEAVE_LLM_MODEL, see the README)");
      }
      try (LlmParser llm = new LlmParser(llmSettings.get(), new SimpleMeterRegistry(), rules)) {
        return parseWith(llm);
      }
    }

    private Integer parseWith(LeaveParser chosen) throws Exception {
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
            LeaveCases.Case c;
            try {
              c = LeaveCases.read(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              throw new CommandLine.ParameterException(spec.commandLine(), jsonl + " line " + n + " is not JSON: " + e.getOriginalMessage());
            }
            ObjectNode result = JSON.createObjectNode();
            result.set("id", c.id());
            result.setAll(LeaveCases.json(chosen.parse(c.text(), c.today(), c.thread())));
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
      out.println(JSON.writeValueAsString(LeaveCases.json(chosen.parse(text, day, thread))));
      out.flush();
      return Main.OK;
    }
  }

  /** {@code tandem leave retry RECORD_ID...}: the failed Calendar and Harvest steps of leave records, again. */
  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = {"Retries the failed Calendar and Harvest steps of leave records (only what failed: done steps stay as they are).",
          "The retry runs in the worker of a running Tandem; this command enqueues it."})
  static final class Retry implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RECORD_ID", description = "A leave record's id (the Slack message names failed ones).")
    List<String> records;

    private final Launch launch;

    Retry(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        wiring.migrate();
        for (String id : records) {
          try {
            out.println(id + ": " + (wiring.leave.steps().retry(id) ? "failed steps enqueued again" : "nothing had failed; nothing to retry"));
          } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
          }
        }
      }
      out.flush();
      return Main.OK;
    }
  }
}
