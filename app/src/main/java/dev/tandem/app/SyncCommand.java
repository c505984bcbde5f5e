package dev.tandem.app;

import dev.tandem.sync.link.SyncTopology;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Set up cross-workspace sync by hand (groups, syncs, channel links) until the Home tab does it.",
    subcommands = {SyncCommand.Workspaces.class, SyncCommand.List.class, SyncCommand.GroupCreate.class, SyncCommand.GroupAdd.class,
        SyncCommand.Create.class, SyncCommand.Link.class, SyncCommand.Unlink.class})
final class SyncCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code body} with a migrated database and the sync topology. */
  abstract static class WithTopology implements Callable<Integer> {
    private final Launch launch;

    WithTopology(Launch launch) {
      this.launch = launch;
    }

    @Override
    public Integer call() {
      try (Wiring wiring = new Wiring(Settings.read(launch.config()), launch.clock())) {
        wiring.migrate();
        return run(wiring.sync.topology(), launch.out(), launch.err());
      }
    }

    abstract int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err);
  }

  @Command(name = "workspaces", mixinStandardHelpOptions = true, description = "List the workspaces that installed the Sync app.")
  static final class Workspaces extends WithTopology {
    Workspaces(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      topology.workspaces().forEach(w -> out.printf("%-20s %s%s%n", w.id(), w.name(), w.deleted() ? " (uninstalled)" : ""));
      return Main.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the syncs and their linked channels.")
  static final class List extends WithTopology {
    List(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      for (SyncTopology.SyncView s : topology.syncs()) {
        out.printf("%s  %s (%s, published by %s)%n", s.id(), s.title(), s.mode(), s.publisherWorkspaceId());
        s.channels().forEach(c -> out.printf("    %s %s%s%n", c.workspaceId(), c.channelId(), c.active() ? "" : " (paused)"));
      }
      return Main.OK;
    }
  }

  @Command(name = "group-create", mixinStandardHelpOptions = true, description = "Create a group of workspaces; prints its id and invite code.")
  static final class GroupCreate extends WithTopology {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--workspace", required = true, description = "The creating workspace (see 'sync workspaces').") String workspace;

    GroupCreate(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      String id = topology.createGroup(name, workspace);
      out.println(id + " " + topology.inviteCode(id).orElseThrow());
      return Main.OK;
    }
  }

  @Command(name = "group-add", mixinStandardHelpOptions = true, description = "Add a workspace to a group.")
  static final class GroupAdd extends WithTopology {
    @Parameters(paramLabel = "GROUP_ID") String group;
    @Option(names = "--workspace", required = true) String workspace;

    GroupAdd(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      topology.addMember(group, workspace);
      out.println(workspace + " joined " + group);
      return Main.OK;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a sync published to a whole group; prints its id.")
  static final class Create extends WithTopology {
    @Parameters(index = "0", paramLabel = "GROUP_ID") String group;
    @Parameters(index = "1", paramLabel = "TITLE") String title;
    @Option(names = "--publisher", required = true, description = "The publishing workspace.") String publisher;
    @Option(names = "--reaction-notices", description = "Besides mirroring reactions, post SyncBot's threaded \"reacted with\" notices.")
    boolean reactionNotices;

    Create(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      String id = topology.createGroupSync(group, title, publisher);
      topology.setReactionNotices(id, reactionNotices);
      out.println(id);
      return Main.OK;
    }
  }

  @Command(name = "link", mixinStandardHelpOptions = true, description = "Link a workspace's channel to a sync (a channel is in at most one sync).")
  static final class Link extends WithTopology {
    @Parameters(paramLabel = "SYNC_ID") String sync;
    @Option(names = "--workspace", required = true) String workspace;
    @Option(names = "--channel", required = true, description = "Channel id, e.g. C0123ABCD.") String channel;

    Link(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      return switch (topology.link(sync, workspace, channel)) {
        case SyncTopology.LinkResult.Linked linked -> {
          out.println("linked " + workspace + " " + channel + " (" + linked.linkId() + ")");
          yield Main.OK;
        }
        case SyncTopology.LinkResult.AlreadyInASync already -> {
          err.println(workspace + " " + channel + " is already in sync " + already.syncId() + "; unlink it first");
          yield Main.FAILURE;
        }
      };
    }
  }

  @Command(name = "unlink", mixinStandardHelpOptions = true, description = "Stop syncing a channel.")
  static final class Unlink extends WithTopology {
    @Option(names = "--workspace", required = true) String workspace;
    @Option(names = "--channel", required = true) String channel;

    Unlink(Launch launch) {
      super(launch);
    }

    @Override
    int run(SyncTopology topology, java.io.PrintWriter out, java.io.PrintWriter err) {
      topology.unlink(workspace, channel);
      out.println("unlinked " + workspace + " " + channel);
      return Main.OK;
    }
  }
}
