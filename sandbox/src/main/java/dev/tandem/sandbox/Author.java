package dev.tandem.sandbox;

/** Who posts: a person, or an app's bot user ({@code install} set). */
record Author(State.Person person, State.Install install) {
  boolean isBot() {
    return install != null;
  }
}
