/**
 * Reading leave messages (leave-parsing.md): {@link dev.tandem.leave.parse.LeaveParser} with two
 * implementations, the offline {@link dev.tandem.leave.parse.RuleParser} and the optional
 * {@link dev.tandem.leave.parse.LlmParser}, which asks an OpenAI-compatible API, holds its answer to the
 * contract and falls back to the rules on any failure. {@link dev.tandem.leave.parse.LeaveCases} has the
 * contract's JSON shapes for the CLI, the bench and the corpus test.
 */
package dev.tandem.leave.parse;
