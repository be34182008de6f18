/**
 * The pure core: validating a Netplane spec ({@code SpecValidator}), planning every object the operator owns from
 * the validated settings, the k8s/ templates and the facts observed ({@code InstallPlanner}), deciding restarts
 * ({@code ConfigHash}) and the status conditions ({@code StatusPlanner}). No client, no config lookups, no clock.
 */
package io.netplane.install.model;
