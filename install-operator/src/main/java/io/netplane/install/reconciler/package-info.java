/**
 * The thin shell: the JOSDK reconciler of the {@code Netplane} named {@code default}, which reads the facts, calls
 * the model once and runs the workflow of dependents (each dependent's {@code desired()} is the plan's object), then
 * restarts components on a config change and writes the status; Events through the shared recorder.
 */
package io.netplane.install.reconciler;
