package dev.tandem.leave.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** The admin's page chrome: head, navigation, flash message, skip link. htmx boosts links and forms; without JavaScript all works as plain HTML. */
final class Layout {
  private static final List<Map.Entry<String, String>> NAV = List.of(Map.entry("/admin", "Dashboard"), Map.entry("/admin/people", "People"),
      Map.entry("/admin/records", "Leave records"), Map.entry("/admin/settings", "Settings"), Map.entry("/admin/audit", "Audit log"),
      Map.entry("/admin/tokens", "API tokens"), Map.entry("/admin/admins", "Admins"));

  private Layout() {}

  static Html page(Context ctx, String title, Html content) {
    AdminAuth.Principal p = AdminWeb.admin(ctx);
    String csrf = p.csrfToken().orElse("");
    String path = ctx.path();
    Html nav = Html.each(NAV, e -> Html.of("<a href=\"{}\"{}>{}</a>", e.getKey(),
        Html.when(path.equals(e.getKey()) || (!e.getKey().equals("/admin") && path.startsWith(e.getKey())), Html.of(" aria-current=\"page\"")),
        e.getValue()));
    Html flash = AdminWeb.takeFlash(ctx).map(m -> Html.of("<p class=\"flash\" role=\"status\">{}</p>", m)).orElse(Html.EMPTY);
    return document(title, Html.of("""
        <body hx-boost="true" hx-headers='{"X-CSRF-Token": "{}"}'>
        <a class="skip" href="#main">Skip to content</a>
        <header><nav aria-label="Main"><span class="brand">Tandem Leave</span>{}
          <span class="who">{}</span>
          <form class="inline" method="post" action="/admin/sign-out"><input type="hidden" name="_csrf" value="{}"><button class="secondary" type="submit">Sign out</button></form>
        </nav></header>
        <main id="main"><h1>{}</h1>{}{}</main></body>""", csrf, nav, p.name(), csrf, title, flash, content));
  }

  static Html bare(String title, Html content) {
    return document(title, Html.of("<body><main id=\"main\">{}</main></body>", content));
  }

  /** A page that only says something (an error, a refusal). */
  static Html message(Context ctx, String title, String text) {
    Html body = Html.of("<p class=\"flash error\" role=\"alert\">{}</p><p><a href=\"/admin\">Back to the dashboard</a></p>", text);
    return ctx.attribute(AdminWeb.ADMIN) != null ? page(ctx, title, body) : bare(title, Html.of("<h1>{}</h1>{}", title, body));
  }

  private static Html document(String title, Html body) {
    return Html.of("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{} · Tandem Leave</title>
        <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>
        <link rel="stylesheet" href="/admin/assets/admin.css"><script src="/admin/assets/htmx.min.js" defer></script>
        </head>{}</html>""", title, body);
  }
}
