/** Pure, incremental compilation of policies into shared address sets and set-referencing rules (no I/O). */
package io.netplane.policy.compiler;
