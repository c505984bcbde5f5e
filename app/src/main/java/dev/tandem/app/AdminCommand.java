package dev.tandem.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tandem admin ...}: the web admin's local accounts. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Web admin accounts.", subcommands = {AdminCommand.Create.class, AdminCommand.ResetPassword.class})
final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: create, reset-password");
  }

  /** {@code tandem admin create EMAIL}: a local admin account, with a password generated and shown once (or read from stdin). */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Creates a local admin account for the web admin (for installations without Google sign-in).",
          "Without --password-stdin a password is generated and printed once: store it in a password manager."})
  static final class Create extends AccountCommand {
    @Option(names = "--name", paramLabel = "NAME", description = "Their name, as the audit log shows it (default: the email).")
    String name;

    Create(Launch launch) {
      super(launch);
    }

    @Override
    void run(Wiring wiring, String password, PrintWriter out) {
      var admin = wiring.leave.admins().create(email, name == null ? email : name, password);
      out.println("created admin account " + admin.email());
      if (!passwordStdin) {
        out.println("password (shown once): " + password);
      }
    }
  }

  /** {@code tandem admin reset-password EMAIL}: a forgotten password replaced; the account's sessions end. */
  @Command(name = "reset-password", mixinStandardHelpOptions = true,
      description = {"Sets a new password for a local admin account and ends its sessions.",
          "Without --password-stdin a one-time password is generated and printed once; it must be changed at the next sign-in."})
  static final class ResetPassword extends AccountCommand {
    ResetPassword(Launch launch) {
      super(launch);
    }

    @Override
    void run(Wiring wiring, String password, PrintWriter out) {
      wiring.leave.admins().resetPassword(email, password, !passwordStdin);
      wiring.leave.adminAuth().endAll(email);
      out.println("new password set for " + email + "; its sessions are ended");
      if (!passwordStdin) {
        out.println("one-time password (shown once, to be changed at sign-in): " + password);
      }
    }
  }

  /** What both commands share: the account's email, the password (generated, or from stdin) and the database. */
  abstract static class AccountCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "EMAIL", description = "The admin's email address (their sign-in name).")
    String email;

    @Option(names = "--password-stdin", description = "Read the password (at least 12 characters) from the first line of standard input.")
    boolean passwordStdin;

    private final Launch launch;

    AccountCommand(Launch launch) {
      this.launch = launch;
    }

    /** Does the command's work; an IllegalArgumentException is a usage error. */
    abstract void run(Wiring wiring, String password, PrintWriter out);

    @Override
    public Integer call() throws Exception {
      String password = passwordStdin ? readLine() : dev.tandem.leave.admin.Passwords.generate();
      PrintWriter out = spec.commandLine().getOut();
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        wiring.migrate();
        try {
          run(wiring, password, out);
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      out.flush();
      return Main.OK;
    }
  }

  private static String readLine() throws java.io.IOException {
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isBlank()) {
      throw new IllegalArgumentException("--password-stdin: no password on standard input");
    }
    return line.strip();
  }
}
