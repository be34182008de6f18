package io.netplane.ingress.compile;

import io.netplane.api.report.Problem;

/**
 * Which IngressClass an Ingress belongs to, and whether this controller implements it.
 *
 * @param className the resolved class name, or null when none could be resolved
 * @param source {@code field}, {@code annotation}, {@code default}, or {@code none}
 * @param ours the class exists and names this controller
 * @param problem why resolution failed in a way the user should hear about (null otherwise)
 */
public record ClassResolution(String className, String source, boolean ours, Problem problem) {
}
