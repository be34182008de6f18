/** The explain API (RESTEasy Reactive): per-connection verdicts with their deciding rules, and reachability matrices. */
package io.netplane.policy.server;
