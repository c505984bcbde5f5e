package dev.tandem.leave.web;

import dev.tandem.core.web.Readiness;
import dev.tandem.leave.LeaveConfig;
import java.time.Clock;
import java.util.function.Supplier;

/** What the admin's pages and API work with. */
public record AdminParts(AdminStore store, PeopleImport people, LeaveConfig config, AuditLog audit, AdminAuth auth,
    dev.tandem.leave.admin.AdminAccounts accounts, ChannelNames channels, boolean googleSignIn, Supplier<Readiness.Report> health, Clock clock) {}
