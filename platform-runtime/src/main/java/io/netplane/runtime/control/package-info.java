/**
 * The control loop every operator runs: keys queued by informer events, reconciled by a bounded set of workers
 * with per-key backoff, paused while another replica leads.
 */
package io.netplane.runtime.control;
