package dev.tandem.leave.web;

import dev.tandem.core.web.Readiness;
import dev.tandem.leave.LeaveConfig;
import dev.tandem.leave.admin.AdminAccounts;
import java.time.Clock;
import java.util.function.Supplier;

/** What the admin's pages and API handlers work with, taken from {@link AdminParts} once. */
abstract class AdminHandlers {
  final AdminStore store;
  final PeopleImport people;
  final LeaveConfig config;
  final AuditLog audit;
  final AdminAuth auth;
  final AdminAccounts accounts;
  final ChannelNames channels;
  final boolean googleSignIn;
  final Supplier<Readiness.Report> health;
  final Clock clock;

  AdminHandlers(AdminParts parts) {
    this.store = parts.store();
    this.people = parts.people();
    this.config = parts.config();
    this.audit = parts.audit();
    this.auth = parts.auth();
    this.accounts = parts.accounts();
    this.channels = parts.channels();
    this.googleSignIn = parts.googleSignIn();
    this.health = parts.health();
    this.clock = parts.clock();
  }
}
